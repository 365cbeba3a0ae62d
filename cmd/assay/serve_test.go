//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// viewTOML is a study as a user writes it; /api/scatter with the same
// choices must answer what `assay study` prints for it.
const viewTOML = `name = "scatter"
title = "A view of the assay dashboard's scatter explorer"
exclude = ["31080"]

[years]
base = 2012
end = 2017

[outcome]
offense = "murder"

[selection]
rule = "top_count"
n = 30
pool = "fbi"

[estimation]
estimators = ["pearson", "ols"]
permutations = 999
`

// TestServe runs assay serve as a user does, in a child process: it prints
// its address, answers /api/scatter with what assay study --json prints for
// the same study, serves its pages, and on Ctrl-C stops and exits 0.
func TestServe(t *testing.T) {
	cmd := child(t, "serve", "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v; stderr %s", err, errOut.String())
	}
	m := regexp.MustCompile(`^assay dashboard at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops it\)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("printed %q", line)
	}
	base := m[1]
	get := func(path string) []byte {
		t.Helper()
		client := &http.Client{Timeout: time.Minute}
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %v: %.300s", path, res.StatusCode, err, b)
		}
		return b
	}
	api := get("api/scatter?outcome=murder&select=top_count&n=30&pool=fbi&drop=31080&perm=999")
	file := filepath.Join(t.TempDir(), "view.toml")
	if err := os.WriteFile(file, []byte(viewTOML), 0o644); err != nil {
		t.Fatal(err)
	}
	code, cli, stderrText := runCapture(t, "study", file, "--json")
	if code != 0 {
		t.Fatalf("assay study: exit %d: %s", code, stderrText)
	}
	var a, c any
	if err := json.Unmarshal(api, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(cli), &c); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, c) {
		t.Errorf("/api/scatter and assay study --json differ for the same study:\n api %.500s\n cli %.500s", api, cli)
	}
	if page := get(""); !strings.Contains(string(page), "The claims, one by one") {
		t.Errorf("the overview: %.300s", page)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after Ctrl-C: %v; stderr %s", err, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("assay serve did not stop on Ctrl-C")
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "8080"},
		{"serve", "--perm", "-1"},
		{"serve", "extra"},
	} {
		if code, _, errOut := runCapture(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}
