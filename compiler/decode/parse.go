package decode

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/internal/parallel"
)

// Parsing is most of the compiler's time on a large project, and
// hclsyntax parses a file as one piece: it lexes the whole file into one
// growing slice of tokens before it parses, so a file of 1,000 blocks
// parses at about half the speed of the same blocks in pieces, and one
// large file keeps one core busy. Files are therefore cut into chunks of
// whole top-level blocks and the chunks parse in parallel, each told where
// it starts so that every range is what a whole-file parse gives.
//
// A chunk boundary is a line holding only "}". That is where a top-level
// block usually ends, but it can also close a nested block, or sit inside
// a heredoc or a comment. A cut there leaves the chunk before it
// unfinished (an unclosed block, heredoc, comment or bracket), which is a
// syntax error; so any chunk with a diagnostic, or with a top-level
// attribute (whose duplicates only a whole-file parse detects), sends its
// file back to the ordinary whole-file parse. A chunk that parses cleanly
// ends at the top level, between two items, where a whole-file parse is in
// the same state: the result is the same.

// chunkBytes is the size a chunk grows to before it ends at the next
// boundary. Tests set it to 1 to cut at every boundary.
var chunkBytes = 16 << 10

// chunk is a run of whole lines of one file.
type chunk struct {
	file  int
	start hcl.Pos
	bytes []byte
}

// chunks cuts src after lines holding only "}", once a chunk has grown
// to chunkBytes.
func chunks(file int, src []byte) []chunk {
	var out []chunk
	start := hcl.InitialPos
	line := 1
	for i := 0; i < len(src); {
		nl := bytes.IndexByte(src[i:], '\n')
		if nl < 0 {
			break
		}
		end := i + nl + 1
		line++
		lineText := bytes.TrimRight(src[i:end], "\r\n")
		if len(lineText) == 1 && lineText[0] == '}' && end-start.Byte >= chunkBytes {
			out = append(out, chunk{file: file, start: start, bytes: src[start.Byte:end]})
			start = hcl.Pos{Line: line, Column: 1, Byte: end}
		}
		i = end
	}
	if start.Byte < len(src) || len(out) == 0 {
		out = append(out, chunk{file: file, start: start, bytes: src[start.Byte:]})
	}
	return out
}

// parseFiles parses every file, chunk by chunk in parallel, and returns
// each file's syntax tree and diagnostics, as hclsyntax.ParseConfig would.
func parseFiles(files []File) ([]*hcl.File, []hcl.Diagnostics) {
	var all []chunk
	for i, f := range files {
		all = append(all, chunks(i, f.Bytes)...)
	}
	type parsed struct {
		body  *hclsyntax.Body
		diags hcl.Diagnostics
	}
	results := make([]parsed, len(all))
	parallel.Do(len(all), func(i int) {
		c := all[i]
		if body, ok := fastParse(c.bytes, files[c.file].Name, c.start); ok {
			results[i] = parsed{body: body}
			return
		}
		f, diags := hclsyntax.ParseConfig(c.bytes, files[c.file].Name, c.start)
		body, _ := f.Body.(*hclsyntax.Body)
		results[i] = parsed{body, diags}
	})

	out := make([]*hcl.File, len(files))
	outDiags := make([]hcl.Diagnostics, len(files))
	var whole []int // files to parse as one piece
	for first := 0; first < len(all); {
		file := all[first].file
		last := first
		for last+1 < len(all) && all[last+1].file == file {
			last++
		}
		merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
		clean := true
		for i := first; i <= last; i++ {
			r := results[i]
			if len(r.diags) > 0 || r.body == nil || len(r.body.Attributes) > 0 {
				clean = false
				break
			}
			merged.Blocks = append(merged.Blocks, r.body.Blocks...)
		}
		if clean {
			merged.SrcRange = hcl.Range{Filename: files[file].Name, Start: hcl.InitialPos, End: results[last].body.SrcRange.End}
			merged.EndRange = results[last].body.EndRange
			out[file] = &hcl.File{Body: merged, Bytes: files[file].Bytes}
		} else {
			whole = append(whole, file)
		}
		first = last + 1
	}
	parallel.Do(len(whole), func(i int) {
		f := files[whole[i]]
		out[whole[i]], outDiags[whole[i]] = hclsyntax.ParseConfig(f.Bytes, f.Name, hcl.InitialPos)
	})
	return out, outDiags
}
