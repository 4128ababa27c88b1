package config

import (
	"io"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// FormatFile returns src in canonical HCL layout. hclwrite formats even
// broken input, silently, so the file is parsed first and a file with
// syntax errors is refused with their diagnostics (as terraform fmt does).
func FormatFile(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	_, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), diags
}

// WriteDiagnostics renders diagnostics the way Terraform does, with a
// source snippet for each one whose file is in files. width wraps the text
// (0: no wrapping); color adds terminal colours.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, width uint, color bool) error {
	return hcl.NewDiagnosticTextWriter(w, files, width, color).WriteDiagnostics(diags)
}
