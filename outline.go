package assay

// OutlineKind says what place an Outline is the shape of.
type OutlineKind string

const (
	OutlineNation OutlineKind = "nation"
	OutlineState  OutlineKind = "state"
	OutlineCounty OutlineKind = "county"
)

// Outline is the drawn shape of one place, kept as SVG path data so that a
// map draws from the embedded snapshot with no geometry library and no raw
// file. Paths of every kind share one frame, OutlineWidth × OutlineHeight px
// (the Albers USA projection us-atlas ships, Alaska and Hawaii as insets), so
// state outlines lie exactly on the county borders they follow.
type Outline struct {
	Kind OutlineKind
	ID   string // FIPS: two digits for a state, five for a county; empty for the nation
	Name string // as published ("Mohave" for a county, with no state)
	Path string // SVG path data; rings are closed, drawn with fill-rule evenodd
}

// The frame of every Outline path. A few of the westernmost Aleutian islands
// lie left of x = 0, as in us-atlas itself, and fall outside it.
const (
	OutlineWidth  = 975
	OutlineHeight = 610
)
