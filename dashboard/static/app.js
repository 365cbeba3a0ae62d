// The dashboard's one script. Every page works without it; with it,
// figures show a metro's name and values on hover, the map opens a metro
// on click, the scatter explorer updates in place when a control changes
// or a metro is clicked (keeping the view in the address), and the
// multiverse's filters apply as they change. The page's CSP allows this
// file and no inline script.
"use strict";

document.documentElement.classList.add("js");

// The tooltip shows a mark's <title>, which the chart layer writes on
// every data mark: its name and values. The title is set aside while the
// tooltip shows it, so that the browser's own does not show too.
function tooltips() {
  const tip = document.getElementById("tooltip");
  if (!tip) return;
  let current = null;
  const hide = () => {
    if (current && current.tipTitle) current.prepend(current.tipTitle);
    if (current) current.classList.remove("hover");
    current = null;
    tip.hidden = true;
  };
  document.addEventListener("mouseover", (ev) => {
    const mark = ev.target.closest && ev.target.closest("figure.chart svg [data-key]");
    if (mark === current) return;
    hide();
    const title = mark && mark.querySelector(":scope > title");
    if (!title) return;
    current = mark;
    mark.tipTitle = title;
    title.remove();
    mark.classList.add("hover");
    // Marks of one metro (or specification) in other panels add their
    // values: both maps, every choice of the dot matrix.
    const lines = title.textContent.split("\n");
    const key = CSS.escape(mark.dataset.key);
    for (const other of mark.ownerSVGElement.querySelectorAll(`[data-key="${key}"] > title`)) {
      for (const line of other.textContent.split("\n")) if (!lines.includes(line)) lines.push(line);
    }
    tip.textContent = lines.join("\n");
    tip.hidden = false;
  });
  document.addEventListener("mousemove", (ev) => {
    if (tip.hidden) return;
    const pad = 14;
    const x = Math.min(ev.clientX + pad, window.innerWidth - tip.offsetWidth - 4);
    const y = ev.clientY + pad + tip.offsetHeight > window.innerHeight ? ev.clientY - tip.offsetHeight - pad : ev.clientY + pad;
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  });
  document.addEventListener("mouseout", (ev) => {
    if (current && !current.contains(ev.relatedTarget)) hide();
  });
}

// On the map, a click on a metro opens it in the metro explorer.
function mapClicks() {
  const map = document.querySelector(".map[data-explore]");
  if (!map) return;
  map.addEventListener("click", (ev) => {
    const mark = ev.target.closest("path.mark[data-key]");
    if (mark) window.location.href = map.dataset.explore + encodeURIComponent(mark.dataset.key);
  });
}

// The scatter explorer asks the server for the page of the new view and
// sets its parts in place: the numbers, the figure and the lists in
// #view, the controls (whose choices depend on the view) in the form.
function scatter() {
  const form = document.getElementById("scatter-form");
  if (!form) return;
  const announce = document.createElement("p");
  announce.className = "visually-hidden";
  announce.setAttribute("aria-live", "polite");
  form.after(announce);

  const viewURL = () => formURL(form);

  let pending = null;
  async function load(url, push) {
    const view = document.getElementById("view");
    if (pending) pending.abort();
    pending = new AbortController();
    view.setAttribute("aria-busy", "true");
    let doc;
    try {
      const res = await fetch(url, { signal: pending.signal, headers: { Accept: "text/html" } });
      doc = new DOMParser().parseFromString(await res.text(), "text/html");
    } catch (err) {
      if (err.name === "AbortError") return;
      window.location.href = url;
      return;
    }
    const next = doc.getElementById("view");
    const nextForm = doc.getElementById("scatter-form");
    if (!next || !nextForm) {
      // An error page: show it as a page.
      window.location.href = url;
      return;
    }
    const focused = document.activeElement && document.activeElement.id;
    form.innerHTML = nextForm.innerHTML;
    view.replaceWith(next);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    document.title = doc.title;
    const share = next.querySelector("#share");
    const canonical = share ? share.getAttribute("href") : url;
    if (push) history.pushState(null, "", canonical);
    const r = next.querySelector("#stat-r");
    const n = next.querySelector("#stat-n");
    const message = next.querySelector("#message");
    announce.textContent = message ? message.textContent : "Updated: n = " + (n ? n.textContent : "") + ", r = " + (r ? r.textContent : "");
    document.body.dataset.loaded = canonical;
  }

  form.addEventListener("change", () => load(viewURL(), true));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(viewURL(), true);
  });
  document.addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    const link = ev.target.closest("#view a[data-swap]");
    if (link) {
      ev.preventDefault();
      load(link.getAttribute("href"), true);
      return;
    }
    const point = ev.target.closest("#view figure.chart svg circle[data-key]");
    if (!point) return;
    const drop = form.elements.drop;
    const codes = drop.value ? drop.value.split(",") : [];
    if (!codes.includes(point.dataset.key)) codes.push(point.dataset.key);
    drop.value = codes.join(",");
    load(viewURL(), true);
  });
  window.addEventListener("popstate", () => load(window.location.pathname + window.location.search, false));
  document.body.dataset.loaded = window.location.pathname + window.location.search;
}

// The multiverse's filters apply as they change.
function multiverse() {
  const form = document.getElementById("multiverse-form");
  if (form) form.addEventListener("change", () => { window.location.href = formURL(form); });
}

// formURL is the address a GET form leads to, without the fields left
// empty ("any"), so that a view has one address.
function formURL(form) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (v !== "") params.set(k, v);
  const q = params.toString();
  return form.getAttribute("action") + (q ? "?" + q : "");
}

tooltips();
mapClicks();
scatter();
multiverse();
