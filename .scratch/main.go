package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/marcboeker/go-duckdb/v2"
)

func main() {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range os.Args[1:] {
		start := time.Now()
		rows, err := db.Query(q)
		if err != nil {
			fmt.Printf("ERR %v\n", err)
			continue
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Printf("%v\n", vals)
		}
		if err := rows.Err(); err != nil {
			fmt.Printf("ERR %v\n", err)
		}
		rows.Close()
		fmt.Printf("  (%.2fs)\n", time.Since(start).Seconds())
	}
}
