// Command writesynthetic writes a synthetic project of N definitions to a
// directory, for measuring `strata compile` from the command line.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-analytics/strata/internal/synthetic"
)

func main() {
	n := flag.Int("n", 10000, "metric and segment definitions")
	out := flag.String("out", "", "directory to write (required)")
	one := flag.Bool("one-entity", false, "all definitions on one entity, as real projects are (default: 200 per entity)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "writesynthetic: -out DIR is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	files := synthetic.Project(*n)
	if *one {
		files = synthetic.OneEntity(*n)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(*out, f.Name), f.Bytes, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
