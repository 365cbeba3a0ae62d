package frame

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSelect(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		num     []string
		text    []string
		want    map[string][]float64
		wantTxt map[string][]string
		dropped []int
	}{
		{
			name: "BOM, spaces in header, quoted and thousands-separated numbers",
			csv:  "\uFEFF metro , pop,rate\n\"Springfield, XX\",\"1,234\",2.5\nShelbyville, 56 ,-1e-3\n",
			num:  []string{"pop", "rate"}, text: []string{"metro"},
			want:    map[string][]float64{"pop": {1234, 56}, "rate": {2.5, -0.001}},
			wantTxt: map[string][]string{"metro": {"Springfield, XX", "Shelbyville"}},
		},
		{
			name: "missing values dropped listwise, with their lines",
			csv:  "a,b,c\n1,2,x\nNA,3,y\n4,,z\n5,6,\n7,.,w\n8,9,v\n",
			num:  []string{"a", "b"}, text: []string{"c"},
			want:    map[string][]float64{"a": {1, 8}, "b": {2, 9}},
			wantTxt: map[string][]string{"c": {"x", "v"}},
			dropped: []int{3, 4, 5, 6},
		},
		{
			name: "a column asked for twice is read once",
			csv:  "a\n1\n2\n",
			num:  []string{"a", "a"}, text: []string{"a"},
			want: map[string][]float64{"a": {1, 2}}, wantTxt: map[string][]string{"a": {"1", "2"}},
		},
		{
			name: "only the selected columns decide deletion",
			csv:  "a,b\n1,NA\n2,n/a\n",
			num:  []string{"a"},
			want: map[string][]float64{"a": {1, 2}}, wantTxt: map[string][]string{},
		},
		{
			name: "a quoted field spanning lines keeps later line numbers right",
			csv:  "note,v\n\"two\nlines\",1\nx,NA\n",
			num:  []string{"v"},
			want: map[string][]float64{"v": {1}}, wantTxt: map[string][]string{},
			dropped: []int{4},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tc.csv), "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			s, err := f.Select(tc.num, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Num, tc.want) {
				t.Errorf("numbers = %v, want %v", s.Num, tc.want)
			}
			if !reflect.DeepEqual(s.Text, tc.wantTxt) {
				t.Errorf("text = %v, want %v", s.Text, tc.wantTxt)
			}
			if !reflect.DeepEqual(s.DroppedLines, tc.dropped) {
				t.Errorf("dropped lines = %v, want %v", s.DroppedLines, tc.dropped)
			}
			if (s.Note() == "") != (len(tc.dropped) == 0) {
				t.Errorf("note %q for %d dropped rows", s.Note(), len(tc.dropped))
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		num       []string
		want      []string // substrings of the error
		noColumn  bool
	}{
		{"non-numeric cell", "a,b\n1,2\n3,abc\n", []string{"a", "b"}, []string{"t.csv", "line 3", `column "b"`, `"abc"`}, false},
		{"missing column", "a,b\n1,2\n", []string{"c"}, []string{"t.csv", `"c"`, "a, b"}, true},
		{"infinity", "a\nInf\n", []string{"a"}, []string{"line 2", "Inf"}, false},
		{"ragged row", "a,b\n1,2\n3\n", nil, []string{"t.csv", "line 3"}, false},
		{"duplicate header", "a,a\n1,2\n", nil, []string{"appears twice"}, false},
		{"empty file", "", nil, []string{"empty file"}, false},
		{"bare quote", "a\n\"1\n", nil, []string{"t.csv"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tc.csv), "t.csv")
			if err == nil {
				_, err = f.Select(tc.num, nil)
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if errors.Is(err, ErrNoColumn) != tc.noColumn {
				t.Errorf("errors.Is(err, ErrNoColumn) = %v, want %v", !tc.noColumn, tc.noColumn)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(path, []byte("y\n1\n2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 2 || f.File != path {
		t.Errorf("rows = %d file = %q", f.Rows(), f.File)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "absent.csv")); err == nil {
		t.Error("absent file read without error")
	}
}

// FuzzRead: any input either fails cleanly or yields a frame whose every
// column selects without panicking.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\uFEFFx\n\"1,000\"\n", "a\nNA\n.\n", "a,b\n\"q\"\"\",3\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fr, err := Read(strings.NewReader(s), "fuzz.csv")
		if err != nil {
			return
		}
		sel, err := fr.Select(fr.Names, nil)
		if err != nil {
			return
		}
		for _, name := range fr.Names {
			if len(sel.Num[name]) != sel.N() {
				t.Fatalf("column %s has %d values, selection has %d rows", name, len(sel.Num[name]), sel.N())
			}
		}
		if sel.N()+len(sel.DroppedLines) != fr.Rows() {
			t.Fatalf("%d kept + %d dropped != %d rows", sel.N(), len(sel.DroppedLines), fr.Rows())
		}
	})
}

// LineError gives the file line of a kept row, after rows were dropped.
func TestLineError(t *testing.T) {
	f, err := Read(strings.NewReader("a,b\n1,2\nNA,3\n4,5\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.Select([]string{"a", "b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cause := errors.New("negative weight")
	err = s.LineError(1, "b", cause)
	if want := `t.csv line 4 column "b": negative weight`; err.Error() != want || !errors.Is(err, cause) {
		t.Errorf("LineError = %q, want %q wrapping the cause", err, want)
	}
}
