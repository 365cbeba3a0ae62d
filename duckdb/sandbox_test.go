package duckdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stores opens the two kinds of warehouse a user queries: a file, and an
// image like the embedded snapshot, both holding sampleTables.
func stores(t *testing.T) map[string]*DB {
	t.Helper()
	return map[string]*DB{"file": openT(t, build(t, sampleTables())), "snapshot": openImage(t, sampleTables())}
}

// outside is a directory beside the warehouse with a file that no query
// may read, and the paths no query may create.
type outside struct {
	dir, secret, other string
}

func newOutside(t *testing.T) outside {
	t.Helper()
	o := outside{dir: t.TempDir()}
	o.secret = filepath.Join(o.dir, "secret.txt")
	if err := os.WriteFile(o.secret, []byte("s3cr3t,value\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.other = build(t, sampleTables())
	return o
}

// Every way out of the sandbox named in issue 9, on both kinds of store.
// Each must fail, create nothing, change nothing and leak nothing.
func TestSandboxRefusesEscapes(t *testing.T) {
	ctx := context.Background()
	o := newOutside(t)
	otherBefore, err := os.ReadFile(o.other)
	if err != nil {
		t.Fatal(err)
	}
	in := func(name string) string { return literal(filepath.Join(o.dir, name)) }
	tests := []struct {
		name, query string
		want        string // in the error
	}{
		{"copy to a file", "COPY (SELECT 'x') TO " + in("x.csv"), "to write a file, use assay export"},
		{"copy a table", "COPY metro TO " + in("m.parquet") + " (FORMAT parquet)", "to write a file, use assay export"},
		{"copy from a file", "COPY metro FROM " + literal(o.secret), "queries run read-only in a sandbox"},
		{"export database", "EXPORT DATABASE " + in("dump"), "to write a file, use assay export"},
		{"attach read-write", "ATTACH " + literal(o.other) + " AS other (READ_WRITE)", "ATTACH statements are not allowed"},
		{"attach then drop", "ATTACH " + literal(o.other) + " AS other; DROP TABLE other.metro", "run one statement at a time"},
		{"attach in memory", "ATTACH ':memory:' AS scratch", "ATTACH statements are not allowed"},
		{"detach", "DETACH memory", "DETACH statements are not allowed"},
		{"read_text", "SELECT * FROM read_text(" + literal(o.secret) + ")", "file system operations are disabled by configuration"},
		{"read_csv_auto", "SELECT * FROM read_csv_auto(" + literal(o.secret) + ")", "file system operations are disabled by configuration"},
		{"read_csv", "SELECT * FROM read_csv(" + literal(o.secret) + ", header = true)", "file system operations are disabled by configuration"},
		{"replacement scan", "SELECT * FROM " + literal(o.secret), "secret.txt"},
		{"glob", "SELECT * FROM glob(" + in("*") + ")", "file system operations are disabled by configuration"},
		{"read_parquet over http", "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')", "file system operations are disabled by configuration"},
		{"install", "INSTALL httpfs", "INSTALL or LOAD statements are not allowed"},
		{"load", "LOAD httpfs", "INSTALL or LOAD statements are not allowed"},
		{"set external access", "SET enable_external_access = true", "SET or RESET statements are not allowed"},
		{"reset lock", "RESET lock_configuration", "SET or RESET statements are not allowed"},
		{"pragma setting", "PRAGMA enable_profiling", "PRAGMA statements are not allowed"},
		{"set variable", "SET VARIABLE x = 1", "SET or RESET statements are not allowed"},
		{"logging past the lock", "SELECT * FROM enable_logging(storage_path = " + in("logs") + ")", "enable_logging() is not allowed"},
		{"profiling past the lock", `SELECT * FROM "ENABLE_PROFILING" /* hidden */ ()`, "enable_profiling() is not allowed"},
		{"sql as text", "SELECT * FROM query('SELECT * FROM enable_' || 'logging()')", "query() is not allowed"},
		{"checkpoint", "CHECKPOINT", "CALL or CHECKPOINT statements are not allowed"},
		{"call", "CALL pragma_version()", "CALL or CHECKPOINT statements are not allowed"},
		{"begin", "BEGIN TRANSACTION", "BEGIN, COMMIT or ROLLBACK statements are not allowed"},
		{"drop", "DROP TABLE metro", "DROP statements are not allowed"},
		{"insert", "INSERT INTO metro VALUES ('x', 1, 1, true)", "INSERT statements are not allowed"},
		{"update", "UPDATE metro SET year = 0", "UPDATE statements are not allowed"},
		{"delete", "DELETE FROM metro", "DELETE statements are not allowed"},
		{"create", "CREATE TABLE t (a INT)", "CREATE statements are not allowed"},
		{"create temp view", "CREATE TEMP VIEW metro AS SELECT 1 AS fake", "CREATE statements are not allowed"},
		{"create macro", "CREATE MACRO m(x) AS x", "CREATE statements are not allowed"},
		{"alter", "ALTER TABLE metro RENAME TO gone", "ALTER statements are not allowed"},
		{"comment", "COMMENT ON TABLE metro IS 'changed'", "ALTER statements are not allowed"},
		{"explain analyze a write", "EXPLAIN ANALYZE DELETE FROM metro", "read-only"},
	}
	for storeName, db := range stores(t) {
		for _, tt := range tests {
			t.Run(storeName+"/"+tt.name, func(t *testing.T) {
				res, err := db.Query(ctx, tt.query)
				if err == nil {
					t.Fatalf("succeeded: %v", res.Rows)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Errorf("the error leaks the outside file's content: %v", err)
				}
			})
		}
		want := int64(len(sampleTables()[0].Rows))
		if res, err := db.Query(ctx, "SELECT count(*) FROM metro"); err != nil || res.Rows[0][0] != want {
			t.Errorf("%s: after the attempts metro counts %v (%v), want %d rows", storeName, res, err, want)
		}
	}
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{filepath.Base(o.secret)}; !slices.Equal(names, want) {
		t.Errorf("outside directory holds %v, want only %v", names, want)
	}
	if after, err := os.ReadFile(o.other); err != nil || !bytes.Equal(after, otherBefore) {
		t.Errorf("the other warehouse changed (%v)", err)
	}
}

// A change is refused in the same words on a warehouse file and on an
// image like the snapshot.
func TestSandboxSameRefusalOnFileAndSnapshot(t *testing.T) {
	ctx := context.Background()
	s := stores(t)
	out := literal(filepath.Join(t.TempDir(), "x.csv"))
	for _, q := range []string{"DROP TABLE metro", "INSERT INTO metro VALUES ('x', 1, 1, true)", "CREATE TABLE t (a INT)", "COPY metro TO " + out} {
		_, fileErr := s["file"].Query(ctx, q)
		_, memErr := s["snapshot"].Query(ctx, q)
		if fileErr == nil || memErr == nil || fileErr.Error() != memErr.Error() {
			t.Errorf("%s:\nfile:     %v\nsnapshot: %v\nwant the same refusal", q, fileErr, memErr)
		}
		if !errors.Is(fileErr, ErrReadOnly) || !errors.Is(memErr, ErrReadOnly) {
			t.Errorf("%s: errors do not wrap ErrReadOnly", q)
		}
	}
}

// What analysts run must still work, on both kinds of store.
func TestSandboxAllowsReads(t *testing.T) {
	ctx := context.Background()
	queries := []string{
		"SELECT code, year FROM metro WHERE year > 0 ORDER BY year",
		"WITH y AS (SELECT year FROM metro) SELECT count(*) FROM y",
		"SELECT m.code, e.n FROM metro m LEFT JOIN empty e ON e.n = m.year",
		"SELECT covered, count(*), avg(rate) FROM metro GROUP BY covered ORDER BY covered",
		"FROM metro LIMIT 1",
		"VALUES (1, 'a'), (2, 'b')",
		"DESCRIBE metro",
		"SHOW TABLES",
		"SHOW ALL TABLES",
		"SUMMARIZE SELECT code, year FROM metro",
		"EXPLAIN SELECT * FROM metro",
		"EXPLAIN ANALYZE SELECT count(*) FROM metro",
		"PRAGMA table_info('metro')",
		"SELECT * FROM pragma_table_info('metro')",
		"SELECT table_name, comment FROM duckdb_tables()",
		"SELECT column_name, comment FROM duckdb_columns() WHERE NOT internal",
		"SELECT * FROM range(3)",
		"PIVOT metro ON covered IN (true, false) USING count(*) GROUP BY year",
		"SELECT 'a query of a checkpoint' AS words",
		"SELECT current_setting('enable_external_access') AS v",
	}
	for storeName, db := range stores(t) {
		for _, q := range queries {
			t.Run(storeName+"/"+q, func(t *testing.T) {
				if _, err := db.Query(ctx, q); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// DuckDB's own switches hold without the statement gate: the sandbox's
// first wall, tested alone on a connection that bypasses guard.
func TestSandboxSettingsHoldAlone(t *testing.T) {
	ctx := context.Background()
	o := newOutside(t)
	for storeName, db := range stores(t) {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"COPY (SELECT 1) TO " + literal(filepath.Join(o.dir, "x.csv")),
			"ATTACH " + literal(o.other) + " AS other",
			"SELECT * FROM read_text(" + literal(o.secret) + ")",
			"INSTALL httpfs",
			"LOAD httpfs",
			"SET enable_external_access = true",
			"SET autoload_known_extensions = true",
			"SET lock_configuration = false",
		} {
			if _, err := conn.ExecContext(ctx, q); err == nil {
				t.Errorf("%s: %s succeeded without the gate", storeName, q)
			}
		}
		conn.Close()
	}
	if entries, _ := os.ReadDir(o.dir); len(entries) != 1 {
		t.Errorf("outside directory holds %d entries, want only the secret", len(entries))
	}
}

// database/sql opens connections as it needs them: each must have the
// sandbox, not just the first.
func TestSandboxOnEveryPooledConnection(t *testing.T) {
	ctx := context.Background()
	for storeName, db := range stores(t) {
		var conns []interface{ Close() error }
		for i := range 4 {
			// Holding each open makes the pool open the next afresh.
			conn, err := db.sql.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
			var access, lock string
			err = conn.QueryRowContext(ctx, "SELECT current_setting('enable_external_access')::VARCHAR, current_setting('lock_configuration')::VARCHAR").Scan(&access, &lock)
			if err != nil || access != "false" || lock != "true" {
				t.Errorf("%s connection %d: enable_external_access=%s lock_configuration=%s (%v)", storeName, i, access, lock, err)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
}

// A query that fails, or is cancelled, must not leave its connection in a
// transaction for the next query from the pool.
func TestSandboxConnectionReusableAfterFailure(t *testing.T) {
	ctx := context.Background()
	for storeName, db := range stores(t) {
		db.sql.SetMaxOpenConns(1)
		for _, q := range []string{"EXPLAIN ANALYZE DELETE FROM metro", "SELECT * FROM nowhere", "SELECT 1"} {
			db.Query(ctx, q)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		db.Query(cancelled, "SELECT 1")
		if _, err := db.Query(ctx, "SELECT count(*) FROM metro"); err != nil {
			t.Errorf("%s: the pool's connection is unusable after failures: %v", storeName, err)
		}
	}
}

func TestDeniedCall(t *testing.T) {
	tests := []struct {
		query string
		want  string // "" for none
	}{
		{"SELECT * FROM enable_logging()", "enable_logging"},
		{"select * from ENABLE_LOGGING ( )", "enable_logging"},
		{`SELECT * FROM "enable_profiling"()`, "enable_profiling"},
		{"SELECT * FROM system.main.checkpoint()", "checkpoint"},
		{"SELECT * FROM query -- comment\n ('SELECT 1')", "query"},
		{"SELECT * FROM query /* a /* nested */ comment */ ('SELECT 1')", "query"},
		{"SELECT 1query('x')", "query"},
		{"SELECT 'it says query(' AS s", "query"}, // a false alarm the gate accepts
		{"SELECT query_table('t')", "query_table"},
		{"SELECT sleep_ms(100000)", "sleep_ms"},
		{"SELECT * FROM query_log", ""},
		{"SELECT myquery(1)", ""},
		{"SELECT query FROM t", ""},
		{"SELECT 'query' AS q", ""},
		{"SELECT * FROM enable_logging", ""},
		{"SELECT * FROM query -- unterminated (", ""},
		{"SELECT querý(1)", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := deniedCall(tt.query)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("deniedCall(%q) = %q, %v; want %q", tt.query, got, ok, tt.want)
		}
	}
}

// FuzzDeniedCall checks that the scan never panics and that a denied name
// followed by blanks and "(" is always found, whatever surrounds it.
func FuzzDeniedCall(f *testing.F) {
	f.Add("SELECT ", " ", ") x")
	f.Add("'", "\n\t", "'")
	f.Add("/*", "/**/", "*/")
	f.Fuzz(func(t *testing.T, before, blanks, after string) {
		deniedCall(before + blanks + after)
		if strings.Trim(blanks, " \t\n") != "" {
			return
		}
		if before != "" && identPart(strings.ToLower(before[len(before)-1:])[0]) {
			return // the name is the end of a longer one
		}
		for name := range deniedFunctions {
			q := before + strings.ToUpper(name) + blanks + "(" + after
			if _, ok := deniedCall(q); !ok {
				t.Fatalf("deniedCall(%q) missed %s", q, name)
			}
		}
	})
}

// Every table function and every scalar with side effects that this DuckDB
// has is either denied or reviewed here as only reading. A DuckDB upgrade
// that adds one fails this test until someone decides which.
func TestEveryStatefulFunctionReviewed(t *testing.T) {
	reviewed := map[string]bool{
		// Reading the catalog, settings and metadata.
		"duckdb_approx_database_count": true, "duckdb_columns": true, "duckdb_connection_count": true,
		"duckdb_constraints": true, "duckdb_coordinate_systems": true, "duckdb_databases": true,
		"duckdb_dependencies": true, "duckdb_extensions": true, "duckdb_external_file_cache": true,
		"duckdb_functions": true, "duckdb_indexes": true, "duckdb_keywords": true, "duckdb_log_contexts": true,
		"duckdb_logs": true, "duckdb_logs_parsed": true, "duckdb_memory": true, "duckdb_optimizers": true,
		"duckdb_prepared_statements": true, "duckdb_profiling_settings": true, "duckdb_schemas": true,
		"duckdb_secret_types": true, "duckdb_secrets": true, "duckdb_sequences": true, "duckdb_settings": true,
		"duckdb_table_sample": true, "duckdb_tables": true, "duckdb_temporary_files": true, "duckdb_types": true,
		"duckdb_variables": true, "duckdb_views": true, "which_secret": true,
		"pragma_collations": true, "pragma_database_size": true, "pragma_metadata_info": true, "pragma_platform": true,
		"pragma_show": true, "pragma_storage_info": true, "pragma_table_info": true, "pragma_user_agent": true,
		"pragma_version": true, "icu_calendar_names": true, "pg_timezone_names": true, "sql_auto_complete": true,
		"check_peg_parser": true, "summary": true, "test_all_types": true, "test_vector_types": true,
		// Generating rows.
		"range": true, "generate_series": true, "repeat": true, "repeat_row": true, "unnest": true,
		"histogram": true, "histogram_values": true, "json_each": true, "json_tree": true, "seq_scan": true,
		// Reading files or URLs: enable_external_access=false refuses them.
		"glob": true, "read_blob": true, "read_csv": true, "read_csv_auto": true, "read_duckdb": true,
		"read_json": true, "read_json_auto": true, "read_json_objects": true, "read_json_objects_auto": true,
		"read_ndjson": true, "read_ndjson_auto": true, "read_ndjson_objects": true, "read_ndjson_objects_auto": true,
		"read_parquet": true, "read_text": true, "parquet_scan": true, "parquet_bloom_probe": true,
		"parquet_file_metadata": true, "parquet_full_metadata": true, "parquet_kv_metadata": true,
		"parquet_metadata": true, "parquet_schema": true, "sniff_csv": true,
		// Scalars whose side effects stay inside one query.
		"nextval": true, "currval": true, "random": true, "setseed": true, "uuid": true, "uuidv4": true,
		"uuidv7": true, "gen_random_uuid": true, "error": true, "stats": true, "current_query": true,
		"current_query_id": true, "current_transaction_id": true, "current_connection_id": true,
	}
	raw, err := open("", "read_write")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT DISTINCT function_name FROM duckdb_functions()
		WHERE function_type IN ('table', 'table_macro') OR has_side_effects ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var unreviewed []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if _, denied := deniedFunctions[name]; !denied && !reviewed[name] {
			unreviewed = append(unreviewed, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(unreviewed) > 0 {
		t.Errorf("functions neither denied (sandbox.go) nor reviewed (this test): %s", strings.Join(unreviewed, ", "))
	}
}

// cancelOnWrite cancels a query as soon as its first bytes arrive.
type cancelOnWrite struct {
	cancel context.CancelFunc
	n      int
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.cancel()
	w.n += len(p)
	return len(p), nil
}

// Stream writes rows while the query still runs: cancelling at the first
// bytes stops it far short of the whole result, which a collect-then-write
// implementation would have finished.
func TestStreamWritesBeforeTheQueryEnds(t *testing.T) {
	db := stores(t)["snapshot"]
	const rows = 5_000_000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelOnWrite{cancel: cancel}
	err := db.Stream(ctx, w, "csv", fmt.Sprintf("SELECT range AS n FROM range(%d)", rows))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the cancellation", err)
	}
	if w.n == 0 || w.n > rows {
		t.Errorf("wrote %d bytes of a result of %d rows", w.n, rows)
	}
}

func BenchmarkStream(b *testing.B) {
	mem, err := Open(build(b, nil))
	if err != nil {
		b.Fatal(err)
	}
	defer mem.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := mem.Stream(context.Background(), io.Discard, "csv", "SELECT range AS n, 'x' || range AS s FROM range(200000)"); err != nil {
			b.Fatal(err)
		}
	}
}
