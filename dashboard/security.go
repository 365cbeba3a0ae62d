package dashboard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// csp allows the page's own script, stylesheet and images and nothing
// else: no inline script or style (the figures use presentation attributes,
// not style), no other origin, no framing, no form posting elsewhere.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Limits on what a request may take.
const (
	requestTimeout = 30 * time.Second // a recomputation takes well under one
	headerTimeout  = 5 * time.Second
	maxHeaderBytes = 16 << 10
)

// secure wraps the routes in what every answer needs, in order: the
// security headers (on errors too), GET and HEAD only, a Host and Origin
// that are this server's (a web page the user visits can send requests to
// localhost, and a DNS name rebound to 127.0.0.1 can read the answers), no
// body, and a deadline.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			h.Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: the dashboard is read-only (GET and HEAD)")
		case !hostAllowed(r.Host):
			writeError(w, http.StatusMisdirectedRequest, "host "+r.Host+" not served: reach the dashboard by IP address or localhost")
		case !originAllowed(r):
			writeError(w, http.StatusForbidden, "a page of another origin may not read the dashboard")
		case r.ContentLength != 0:
			writeError(w, http.StatusRequestEntityTooLarge, "a request to the dashboard has no body")
		default:
			ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		}
	})
}

// hostAllowed accepts a Host header naming the server by IP address or as
// localhost. A DNS name is refused: a rebinding attack reaches the server
// under one, an IP literal cannot be rebound.
func hostAllowed(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	return strings.EqualFold(name, "localhost") || net.ParseIP(name) != nil
}

// originAllowed accepts a request with no Origin (a navigation, a link
// followed) or one from the server's own origin.
func originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// Serve answers on ln until ctx ends, then stops taking connections and
// lets requests in flight finish (for up to shutdownGrace).
func Serve(ctx context.Context, ln net.Listener, s *Server) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: headerTimeout,
		ReadTimeout:       10 * time.Second,
		// Long enough for the largest table download on a slow link.
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    time.Minute,
		MaxHeaderBytes: maxHeaderBytes,
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.warm()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// shutdownGrace is how long requests in flight may take to finish once
// the server is told to stop.
const shutdownGrace = 10 * time.Second
