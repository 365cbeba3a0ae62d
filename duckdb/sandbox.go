package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	ddb "github.com/duckdb/duckdb-go/v2"
)

// The query sandbox. Every DB that Open and OpenImage return runs user SQL
// inside three walls, each of which holds alone against what it covers:
//
//  1. DuckDB's own switches, given when DuckDB creates the database, so that
//     every connection database/sql opens from its pool has them:
//     no files, no network and no extensions (enable_external_access=false,
//     which also refuses COPY, ATTACH, INSTALL, LOAD and every read_* of a
//     path), no extension fetched or loaded on demand, and
//     lock_configuration=true, so no SET or PRAGMA can switch them back.
//  2. A statement gate (guard): one statement at a time, and only one that
//     reads (DuckDB's prepared-statement type SELECT or EXPLAIN: SELECT,
//     WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PRAGMA table_info and
//     the other PRAGMAs that are queries). It gives one message for every
//     write, where DuckDB's read-only mode gives several. A few built-in
//     functions that change the database's state despite
//     lock_configuration, or run SQL given as text, are refused by name
//     (deniedFunctions).
//  3. A read-only transaction around each query, rolled back after it:
//     EXPLAIN ANALYZE runs the statement it explains, so a write hidden in
//     one fails there, and nothing a query does outlives it.
//
// Export's exporter applies the same switches one SET at a time, in this
// order: lock_configuration stays last, or the SETs after it would fail.
var sandboxOptions = []string{
	"enable_external_access=false",
	"autoinstall_known_extensions=false",
	"autoload_known_extensions=false",
	"allow_community_extensions=false",
	"lock_configuration=true",
}

// ErrReadOnly is the cause of every refusal by the sandbox; a server maps
// it to "forbidden" rather than "failed".
var ErrReadOnly = errors.New("queries run read-only in a sandbox")

// readTypes are the prepared-statement types the gate lets through.
var readTypes = map[ddb.StmtType]bool{ddb.STATEMENT_TYPE_SELECT: true, ddb.STATEMENT_TYPE_EXPLAIN: true}

// statementNames name the refused types as users write them.
var statementNames = map[ddb.StmtType]string{
	ddb.STATEMENT_TYPE_INSERT:       "INSERT",
	ddb.STATEMENT_TYPE_UPDATE:       "UPDATE",
	ddb.STATEMENT_TYPE_DELETE:       "DELETE",
	ddb.STATEMENT_TYPE_PREPARE:      "PREPARE",
	ddb.STATEMENT_TYPE_CREATE:       "CREATE",
	ddb.STATEMENT_TYPE_EXECUTE:      "EXECUTE",
	ddb.STATEMENT_TYPE_ALTER:        "ALTER",
	ddb.STATEMENT_TYPE_TRANSACTION:  "BEGIN, COMMIT or ROLLBACK",
	ddb.STATEMENT_TYPE_COPY:         "COPY",
	ddb.STATEMENT_TYPE_ANALYZE:      "ANALYZE",
	ddb.STATEMENT_TYPE_VARIABLE_SET: "SET VARIABLE",
	ddb.STATEMENT_TYPE_CREATE_FUNC:  "CREATE FUNCTION",
	ddb.STATEMENT_TYPE_DROP:         "DROP",
	ddb.STATEMENT_TYPE_EXPORT:       "EXPORT DATABASE",
	ddb.STATEMENT_TYPE_PRAGMA:       "PRAGMA",
	ddb.STATEMENT_TYPE_VACUUM:       "VACUUM",
	ddb.STATEMENT_TYPE_CALL:         "CALL or CHECKPOINT",
	ddb.STATEMENT_TYPE_SET:          "SET or RESET",
	ddb.STATEMENT_TYPE_LOAD:         "INSTALL or LOAD",
	ddb.STATEMENT_TYPE_EXTENSION:    "extension",
	ddb.STATEMENT_TYPE_ATTACH:       "ATTACH",
	ddb.STATEMENT_TYPE_DETACH:       "DETACH",
}

// deniedFunctions are built-in functions the gate refuses, with why.
// TestEveryStatefulFunctionReviewed lists DuckDB's table functions and
// side-effecting scalars, so a DuckDB upgrade that adds one fails until it
// is put here or among the reviewed.
var deniedFunctions = map[string]string{
	"enable_logging":              "changes the database's logging, past lock_configuration",
	"disable_logging":             "changes the database's logging, past lock_configuration",
	"truncate_duckdb_logs":        "clears the database's log",
	"write_log":                   "writes to the database's log",
	"enable_profiling":            "switches on profiling, which prints to the process's output",
	"disable_profiling":           "changes the connection's profiling",
	"checkpoint":                  "writes the database",
	"force_checkpoint":            "writes the database",
	"enable_peg_parser":           "replaces the connection's SQL parser",
	"disable_peg_parser":          "replaces the connection's SQL parser",
	"query":                       "runs SQL given as text, which the sandbox cannot check",
	"query_table":                 "runs SQL given as text, which the sandbox cannot check",
	"json_execute_serialized_sql": "runs SQL given as text, which the sandbox cannot check",
	"arrow_scan":                  "reads raw memory addresses",
	"arrow_scan_dumb":             "reads raw memory addresses",
	"sleep_ms":                    "holds a connection for as long as it is told",
}

// guard refuses query unless it is one statement that only reads, without
// running any of it: the driver's Prepare parses and binds but does not
// execute, and unlike PrepareContext it does not run the statements before
// the last one of several.
func guard(conn *sql.Conn, query string) error {
	if name, ok := deniedCall(query); ok {
		return fmt.Errorf("%w: %s() is not allowed: it %s", ErrReadOnly, name, deniedFunctions[name])
	}
	var typ ddb.StmtType
	err := conn.Raw(func(dc any) error {
		s, err := dc.(driver.Conn).Prepare(query)
		if err != nil {
			return err
		}
		defer s.Close()
		typ, err = s.(*ddb.Stmt).StatementType()
		return err
	})
	if err != nil {
		if strings.Contains(err.Error(), "multi-statement") {
			return fmt.Errorf("%w: run one statement at a time (this query has several; PIVOT without an IN list is several too: PIVOT t ON c IN (...))", ErrReadOnly)
		}
		return sandboxError(err)
	}
	if readTypes[typ] {
		return nil
	}
	name, ok := statementNames[typ]
	if !ok {
		name = fmt.Sprintf("type %d", typ)
	}
	hint := "run one SELECT (or WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA table_info)"
	if typ == ddb.STATEMENT_TYPE_COPY || typ == ddb.STATEMENT_TYPE_EXPORT {
		hint = "to write a file, use assay export, or assay sql --format csv with a redirect"
	}
	return fmt.Errorf("%w: %s statements are not allowed; %s", ErrReadOnly, name, hint)
}

// sandboxError says that DuckDB refused a file, a URL or an extension
// because of the sandbox, which its message does not; DuckDB binds some
// statements (COPY to a path) before the gate can see their type.
func sandboxError(err error) error {
	var de *ddb.Error
	if errors.As(err, &de) && de.Type == ddb.ErrorTypePermission {
		return fmt.Errorf("%w, without files, network or extensions (to write a file, use assay export or assay sql --format csv): %w", ErrReadOnly, err)
	}
	return err
}

// deniedCall finds a call of a denied function in query: its name (in any
// case, bare or double-quoted, qualified or not) followed by "(" after any
// blanks and comments. It looks inside string literals and comments too,
// so that no disagreement with DuckDB's lexer about where they end can
// hide a call; a false alarm there costs only rewording a string.
func deniedCall(query string) (string, bool) {
	low := []byte(query)
	for i, c := range low {
		if 'A' <= c && c <= 'Z' {
			low[i] = c + 'a' - 'A'
		}
	}
	s := string(low)
	for i := 0; i < len(s); i++ {
		if !identStart(s[i]) || i > 0 && identPart(s[i-1]) && !isDigit(s[i-1]) {
			continue
		}
		j := i
		for j < len(s) && identPart(s[j]) {
			j++
		}
		name := s[i:j]
		if _, denied := deniedFunctions[name]; denied && callFollows(s[j:]) {
			return name, true
		}
		i = j - 1
	}
	return "", false
}

// callFollows reports whether rest, the text after a name, opens its
// argument list: an optional closing quote, blanks and comments, then "(".
func callFollows(rest string) bool {
	rest = strings.TrimPrefix(rest, `"`)
	for {
		rest = strings.TrimLeft(rest, " \t\n\r\f\v")
		switch {
		case strings.HasPrefix(rest, "--"):
			end := strings.IndexByte(rest, '\n')
			if end < 0 {
				return false
			}
			rest = rest[end+1:]
		case strings.HasPrefix(rest, "/*"):
			rest = skipBlockComment(rest)
		default:
			return strings.HasPrefix(rest, "(")
		}
	}
}

// skipBlockComment returns what follows the comment that s starts with;
// block comments nest, as in PostgreSQL, whose lexer DuckDB's comes from.
func skipBlockComment(s string) string {
	depth := 0
	for i := 0; i+1 < len(s); i++ {
		switch s[i : i+2] {
		case "/*":
			depth++
			i++
		case "*/":
			depth--
			i++
			if depth == 0 {
				return s[i+1:]
			}
		}
	}
	return ""
}

// A digit before a name still counts as a boundary: "1query(" might lex as
// a number and a call.
func identStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' }
func identPart(c byte) bool  { return identStart(c) || isDigit(c) || c == '$' || c >= 0x80 }
func isDigit(c byte) bool    { return '0' <= c && c <= '9' }

// runReadOnly runs query through fn inside a read-only transaction on a
// connection of its own, after the gate, and rolls the transaction back.
func (db *DB) runReadOnly(ctx context.Context, query string, fn func(*sql.Rows) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := guard(conn, query); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION READ ONLY"); err != nil {
		return err
	}
	defer func() {
		// Without its ROLLBACK the connection would go back to the pool
		// inside this transaction: have database/sql discard it instead.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return sandboxError(err)
	}
	defer rows.Close()
	if err := fn(rows); err != nil {
		return sandboxError(err)
	}
	return rows.Close()
}
