package handsql

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-analytics/strata/sampledata"
)

// BenchProject makes dir/name, an empty project folder whose data/ is
// the sample data of the given number of customers. The data is
// generated once into dir/data-<customers> and shared by the benchmark
// commands; the project folder is made afresh.
func BenchProject(dir, name string, customers int) (string, error) {
	data := filepath.Join(dir, fmt.Sprintf("data-%d", customers))
	for _, file := range []string{"subscriptions.csv", "nps_responses.csv"} {
		if _, err := os.Stat(filepath.Join(data, file)); err != nil {
			fmt.Printf("generating %d customers into %s\n", customers, data)
			if _, err := sampledata.Generate(data, sampledata.Options{Customers: customers}); err != nil {
				return "", err
			}
			break
		}
	}
	project := filepath.Join(dir, name)
	os.RemoveAll(project)
	if err := os.MkdirAll(project, 0o755); err != nil {
		return "", err
	}
	if err := os.Symlink(data, filepath.Join(project, "data")); err != nil {
		return "", err
	}
	return project, nil
}
