// Package parallel runs independent work on every core.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Do calls work(i) for i in [0, n) on up to GOMAXPROCS goroutines.
// Each call must write only its own slot of any shared slice.
func Do(n int, work func(i int)) {
	DoWith(n, func() struct{} { return struct{}{} }, func(_ struct{}, i int) { work(i) })
}

// DoWith is Do for work that keeps something of its own from item to item
// (a buffer, a cache): each goroutine makes its state once with start and
// passes it to every item it takes.
func DoWith[S any](n int, start func() S, work func(state S, i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		state := start()
		for i := 0; i < n; i++ {
			work(state, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			state := start()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(state, i)
			}
		}()
	}
	wg.Wait()
}
