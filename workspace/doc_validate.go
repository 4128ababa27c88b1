package workspace

import "github.com/hashicorp/hcl/v2"

// ValidateDoc follows the shape of `terraform validate -json`.
type ValidateDoc struct {
	FormatVersion     string          `json:"format_version"`
	CandlekeepVersion string          `json:"candlekeep_version"`
	Valid             bool            `json:"valid"`
	ErrorCount        int             `json:"error_count"`
	WarningCount      int             `json:"warning_count"`
	Diagnostics       []diagnosticDoc `json:"diagnostics"`
}

type diagnosticDoc struct {
	Severity string    `json:"severity"`
	Summary  string    `json:"summary"`
	Detail   string    `json:"detail,omitempty"`
	Range    *rangeDoc `json:"range,omitempty"`
}

type rangeDoc struct {
	Filename string `json:"filename"`
	Start    posDoc `json:"start"`
	End      posDoc `json:"end"`
}

type posDoc struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// ValidateDocument is `validate -json` of the configuration's diagnostics.
func ValidateDocument(diags hcl.Diagnostics) ValidateDoc {
	doc := ValidateDoc{FormatVersion: "1.1", Diagnostics: []diagnosticDoc{}}
	for _, d := range diags {
		dj := diagnosticDoc{Severity: "warning", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagError {
			dj.Severity = "error"
			doc.ErrorCount++
		} else {
			doc.WarningCount++
		}
		if r := d.Subject; r != nil {
			dj.Range = &rangeDoc{
				Filename: r.Filename,
				Start:    posDoc{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
				End:      posDoc{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
			}
		}
		doc.Diagnostics = append(doc.Diagnostics, dj)
	}
	doc.Valid = doc.ErrorCount == 0
	return doc
}
