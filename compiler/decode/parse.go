package decode

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/models"
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

// filePart is one decoded piece of a file: the project fragment a chunk
// decoded to where it was parsed, or a syntax tree to decode in turn (a
// chunk holding the project block, or a file parsed as one piece).
type filePart struct {
	decoded *decoder
	tree    *hcl.File
}

// parsedFile is a file parsed, and where possible decoded, with its
// syntax diagnostics.
type parsedFile struct {
	parts []filePart
	diags hcl.Diagnostics
}

// parseFiles parses every file, chunk by chunk in parallel, with the
// diagnostics hclsyntax.ParseConfig would give. A chunk without a project
// block is decoded where it was parsed, and its syntax tree, a third of a
// large project's memory, is dropped at once; the project block sets the
// project itself, so it is decoded in turn, in file order.
func parseFiles(files []File) []parsedFile {
	var all []chunk
	for i, f := range files {
		all = append(all, chunks(i, f.Bytes)...)
	}
	type parsedChunk struct {
		part  filePart
		clean bool
	}
	results := make([]parsedChunk, len(all))
	parallel.Do(len(all), func(i int) {
		c := all[i]
		body, ok := fastParse(c.bytes, files[c.file].Name, c.start)
		if !ok {
			f, diags := hclsyntax.ParseConfig(c.bytes, files[c.file].Name, c.start)
			if body, ok = f.Body.(*hclsyntax.Body); !ok || len(diags) > 0 {
				return
			}
		}
		if len(body.Attributes) > 0 {
			return
		}
		tree := &hcl.File{Body: body, Bytes: c.bytes}
		results[i].clean = true
		if hasProjectBlock(tree) {
			results[i].part.tree = tree
			return
		}
		results[i].part.decoded = &decoder{project: &models.Project{}}
		results[i].part.decoded.decodeFile(tree)
	})

	out := make([]parsedFile, len(files))
	var whole []int // files to parse as one piece
	for first := 0; first < len(all); {
		file := all[first].file
		last := first
		for last+1 < len(all) && all[last+1].file == file {
			last++
		}
		clean := true
		for i := first; i <= last; i++ {
			clean = clean && results[i].clean
		}
		if clean {
			for i := first; i <= last; i++ {
				out[file].parts = append(out[file].parts, results[i].part)
			}
		} else {
			whole = append(whole, file)
		}
		first = last + 1
	}
	parallel.Do(len(whole), func(i int) {
		f := files[whole[i]]
		tree, diags := hclsyntax.ParseConfig(f.Bytes, f.Name, hcl.InitialPos)
		out[whole[i]] = parsedFile{parts: []filePart{{tree: tree}}, diags: diags}
	})
	return out
}
