// Package xlstest writes minimal BIFF8 .xls workbooks for tests of code
// that reads them, as httptest serves HTTP for tests.
package xlstest

import (
	"bytes"
	"encoding/binary"
	"math"
	"unicode/utf16"
)

// Latin1 is a string cell stored "compressed" (one byte per character),
// the way Excel stores strings whose characters are all below U+0100.
type Latin1 string

// RKInt is a number cell stored as an integer RK record.
type RKInt int32

// Blank is a formatted empty cell (a BLANK record).
type Blank struct{}

// Workbook returns the bytes of an .xls file whose one sheet holds rows.
// Cells may be string (stored as UTF-16), Latin1, float64 (NUMBER), RKInt
// (RK) or Blank; nil cells are not stored. It writes only what a reader
// needs (no XF or font records), in a compound document with 512-byte
// sectors and no mini stream. It panics on a cell of another type.
func Workbook(rows [][]any) []byte {
	var sst [][]byte
	index := map[string]uint32{}
	intern := func(s []byte) uint32 {
		if i, ok := index[string(s)]; ok {
			return i
		}
		index[string(s)] = uint32(len(sst))
		sst = append(sst, s)
		return uint32(len(sst) - 1)
	}
	var cells bytes.Buffer
	for r, row := range rows {
		for c, v := range row {
			switch v := v.(type) {
			case nil:
			case string:
				units := utf16.Encode([]rune(v))
				s := append(u16(uint16(len(units))), 1)
				for _, u := range units {
					s = append(s, u16(u)...)
				}
				rec(&cells, 0x00FD, u16(uint16(r)), u16(uint16(c)), u16(0), u32(intern(s)))
			case Latin1:
				runes := []rune(string(v))
				s := append(u16(uint16(len(runes))), 0)
				for _, ch := range runes {
					s = append(s, byte(ch))
				}
				rec(&cells, 0x00FD, u16(uint16(r)), u16(uint16(c)), u16(0), u32(intern(s)))
			case float64:
				rec(&cells, 0x0203, u16(uint16(r)), u16(uint16(c)), u16(0), u64(math.Float64bits(v)))
			case RKInt:
				rec(&cells, 0x027E, u16(uint16(r)), u16(uint16(c)), u16(0), u32(uint32(v)<<2|2))
			case Blank:
				rec(&cells, 0x0201, u16(uint16(r)), u16(uint16(c)), u16(0))
			default:
				panic("xlstest.Workbook: unsupported cell type")
			}
		}
	}

	var globals bytes.Buffer
	rec(&globals, 0x0809, u16(0x0600), u16(0x0005), make([]byte, 12))
	bsAt := globals.Len() + 4 // where BOUNDSHEET's lbPlyPos lands
	rec(&globals, 0x0085, u32(0), u16(0), []byte{6, 0}, []byte("Sheet1"))
	var strs []byte
	for _, s := range sst {
		strs = append(strs, s...)
	}
	rec(&globals, 0x00FC, u32(uint32(len(sst))), u32(uint32(len(sst))), strs)
	rec(&globals, 0x000A)

	stream := globals.Bytes()
	binary.LittleEndian.PutUint32(stream[bsAt:], uint32(len(stream)))
	var sheet bytes.Buffer
	rec(&sheet, 0x0809, u16(0x0600), u16(0x0010), make([]byte, 12))
	sheet.Write(cells.Bytes())
	rec(&sheet, 0x000A)
	stream = append(stream, sheet.Bytes()...)
	return compound(stream)
}

func rec(b *bytes.Buffer, id uint16, parts ...[]byte) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b.Write(u16(id))
	b.Write(u16(uint16(n)))
	for _, p := range parts {
		b.Write(p)
	}
}

func u16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// compound wraps a Workbook stream in a version-3 compound document:
// sector 0 holds the FAT, sector 1 the directory, the stream follows. The
// stream is padded to the 4096-byte mini-stream cutoff so that it lives in
// ordinary sectors (readers choose by the size the directory states).
func compound(stream []byte) []byte {
	const sector = 512
	const endOfChain, freeSect, fatSect, noStream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
	size := len(stream)
	if size < 4096 {
		size = 4096
	}
	nsec := (size + sector - 1) / sector
	if 2+nsec > sector/4 {
		panic("compound: stream too large for one FAT sector")
	}
	data := make([]byte, nsec*sector)
	copy(data, stream)

	var h bytes.Buffer
	h.Write([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	h.Write(make([]byte, 16)) // CLSID
	h.Write(u16(0x003E))      // minor version
	h.Write(u16(0x0003))      // major version
	h.Write(u16(0xFFFE))      // byte order
	h.Write(u16(9))           // sector shift
	h.Write(u16(6))           // mini sector shift
	h.Write(make([]byte, 6))  // reserved
	h.Write(u32(0))           // directory sectors (v3: 0)
	h.Write(u32(1))           // FAT sectors
	h.Write(u32(1))           // first directory sector
	h.Write(u32(0))           // transaction signature
	h.Write(u32(4096))        // mini stream cutoff
	h.Write(u32(endOfChain))  // first mini FAT sector
	h.Write(u32(0))           // mini FAT sectors
	h.Write(u32(endOfChain))  // first DIFAT sector
	h.Write(u32(0))           // DIFAT sectors
	h.Write(u32(0))           // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		h.Write(u32(freeSect))
	}

	fat := make([]byte, 0, sector)
	fat = append(fat, u32(fatSect)...)
	fat = append(fat, u32(endOfChain)...)
	for i := 0; i < nsec; i++ {
		next := uint32(2 + i + 1)
		if i == nsec-1 {
			next = endOfChain
		}
		fat = append(fat, u32(next)...)
	}
	for len(fat) < sector {
		fat = append(fat, u32(freeSect)...)
	}

	dir := make([]byte, 0, sector)
	dir = append(dir, entry("Root Entry", 5, 1, endOfChain, 0)...)
	dir = append(dir, entry("Workbook", 2, noStream, 2, uint32(size))...)
	for len(dir) < sector {
		dir = append(dir, entry("", 0, noStream, 0, 0)...)
	}

	out := append(h.Bytes(), fat...)
	out = append(out, dir...)
	return append(out, data...)
}

func entry(name string, typ byte, child, start, size uint32) []byte {
	e := make([]byte, 128)
	units := utf16.Encode([]rune(name))
	for i, u := range units {
		binary.LittleEndian.PutUint16(e[2*i:], u)
	}
	if name != "" {
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(units)+2))
	}
	e[66] = typ
	e[67] = 1 // black
	binary.LittleEndian.PutUint32(e[68:], 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(e[72:], 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(e[76:], child)
	binary.LittleEndian.PutUint32(e[116:], start)
	binary.LittleEndian.PutUint32(e[120:], size)
	return e
}
