package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// cssURL finds url(...) in a stylesheet or an attribute.
var cssURL = regexp.MustCompile(`url\(\s*['"]?([^'")]*)`)

// TestHTMLSelfContained reads index.html as a browser's parser does and
// fails on anything that would make it reach beyond itself: a script, an
// embedded object, a link or source that is not an anchor inside the page
// or a data: URL, an @import or url() in its style. Every anchor it links
// to exists, every heading follows the one before it by at most one level,
// and every table has headers.
func TestHTMLSelfContained(t *testing.T) {
	_, dir := writeReport(t)
	b, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var anchors []string
	var headings []int
	tables, tablesWithHeaders := 0, 0
	headed := false // the current table has a header cell
	inStyle := false
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatal(z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inStyle {
				if strings.Contains(tok.Data, "@import") {
					t.Error("the stylesheet imports another")
				}
				for _, m := range cssURL.FindAllStringSubmatch(tok.Data, -1) {
					t.Errorf("the stylesheet refers to %q", m[1])
				}
			}
			continue
		case html.EndTagToken:
			inStyle = inStyle && tok.Data != "style"
			continue
		}
		switch tok.Data {
		case "script", "iframe", "object", "embed", "img", "video", "audio", "source", "base", "form", "image", "use", "foreignObject":
			t.Errorf("<%s> in a self-contained page", tok.Data)
		case "style":
			inStyle = tt == html.StartTagToken
		case "link":
			if attr(tok, "rel") != "icon" {
				t.Errorf("<link rel=%q>: the page loads nothing", attr(tok, "rel"))
			}
		case "h1", "h2", "h3", "h4", "h5", "h6":
			headings = append(headings, int(tok.Data[1]-'0'))
		case "table":
			tables++
			headed = false
		case "th":
			if attr(tok, "scope") != "" && !headed {
				tablesWithHeaders++
				headed = true
			}
		}
		for _, a := range tok.Attr {
			if a.Key == "id" {
				ids[a.Val] = true
			}
			switch a.Key {
			case "href", "src", "srcset", "xlink:href", "action", "formaction", "poster", "data", "ping", "background", "cite", "longdesc", "manifest":
				switch {
				case strings.HasPrefix(a.Val, "#"):
					anchors = append(anchors, a.Val[1:])
				case strings.HasPrefix(a.Val, "data:"):
				default:
					t.Errorf("<%s %s=%q> refers outside the page", tok.Data, a.Key, a.Val)
				}
			}
			for _, m := range cssURL.FindAllStringSubmatch(a.Val, -1) {
				if !strings.HasPrefix(m[1], "#") {
					t.Errorf("<%s %s=%q> refers outside the page", tok.Data, a.Key, a.Val)
				}
			}
		}
	}
	for _, a := range anchors {
		if !ids[a] {
			t.Errorf("a link to #%s, which the page does not have", a)
		}
	}
	if len(headings) == 0 || headings[0] != 1 {
		t.Errorf("the page's headings %v do not start with one h1", headings)
	}
	for i := 1; i < len(headings); i++ {
		if headings[i] > headings[i-1]+1 || headings[i] == 1 {
			t.Errorf("heading %d: h%d after h%d", i, headings[i], headings[i-1])
		}
	}
	if tables == 0 || tablesWithHeaders != tables {
		t.Errorf("%d tables, %d of them with header cells", tables, tablesWithHeaders)
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
