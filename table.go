package assay

// ColumnType is the storage type of a table column. The set is small on
// purpose: every store (DuckDB, PostgreSQL, CSV) represents each one exactly.
type ColumnType string

const (
	Text  ColumnType = "TEXT"
	Int   ColumnType = "BIGINT"
	Float ColumnType = "DOUBLE"
	Bool  ColumnType = "BOOLEAN"
)

// Column describes one column of a Table.
type Column struct {
	Name string
	Type ColumnType
	Doc  string // one line for the data dictionary
}

// Table is data in the form it crosses into a store or the snapshot. A cell
// is nil (SQL NULL) or a string, int64, float64 or bool matching its column.
type Table struct {
	Name    string
	Doc     string
	Columns []Column
	Rows    [][]any
}
