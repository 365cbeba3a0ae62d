// Package filekind tells what a file is from its first bytes, so that a
// message can say what a user passed ("notes.txt is a text file, not a
// DuckDB warehouse") and so that every reader refuses UTF-16 the same way.
package filekind

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// Kind is what a file holds, as far as its first bytes tell.
type Kind int

const (
	Empty Kind = iota
	Text
	UTF16
	DuckDB
	SQLite
	Parquet
	ZIP // also .xlsx
	OLE2
	Gzip
	PDF
	Binary
)

var names = [...]string{
	Empty:   "an empty file",
	Text:    "a text file (CSV, JSON or other)",
	UTF16:   "UTF-16 text",
	DuckDB:  "a DuckDB database",
	SQLite:  "an SQLite database",
	Parquet: "a Parquet file",
	ZIP:     "a ZIP archive (or .xlsx workbook)",
	OLE2:    "an OLE2 file (.xls workbook or other Office file)",
	Gzip:    "a gzip archive",
	PDF:     "a PDF document",
	Binary:  "a binary file",
}

// String names the kind as a noun phrase for messages.
func (k Kind) String() string { return names[k] }

// HeadSize is how many bytes Of needs at most.
const HeadSize = 512

// ErrUTF16 is the error every reader of CSV gives for UTF-16 text.
var ErrUTF16 = errors.New("UTF-16 text: save the file as UTF-8 (in Excel: CSV UTF-8)")

// Of tells the kind of a file from its first bytes (HeadSize is enough).
func Of(head []byte) Kind {
	// A DuckDB file starts with a checksum, then its magic number.
	const duckMagicAt = 8
	switch {
	case len(head) == 0:
		return Empty
	case len(head) >= duckMagicAt+4 && string(head[duckMagicAt:duckMagicAt+4]) == "DUCK":
		return DuckDB
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return SQLite
	case bytes.HasPrefix(head, []byte("PAR1")):
		return Parquet
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return ZIP
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return OLE2
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return Gzip
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	case IsUTF16(head):
		return UTF16
	case isText(head):
		return Text
	}
	return Binary
}

// IsUTF16 reports whether text is UTF-16: it starts with a byte-order mark,
// or its first characters are ASCII with a zero byte beside each, as a
// spreadsheet's "Unicode text" save without a mark is.
func IsUTF16(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return true
	}
	if len(head) < 4 {
		return false
	}
	le := head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0
	be := head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0
	return le || be
}

// isText reports whether head has no control characters but whitespace.
// Bytes above 0x7F pass: UTF-8 and the Windows-1252 of old Census
// downloads are both text.
func isText(head []byte) bool {
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			return false
		}
	}
	return true
}

// Sniff reads the first bytes of the file at path and tells its kind.
func Sniff(path string) (Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return 0, err
	}
	return Of(head[:n]), nil
}
