package web

import (
	"context"
	"fmt"

	"zhendi/internal/docx"
	"zhendi/internal/org"
	"zhendi/internal/report"
)

// finishDoc adds to d the 主送机关, 落款 and 版记 that f asks for, from the
// document settings of the issuing node (a unit, or the district for the
// district 通报, whose issuer is by default its propaganda department),
// dated today.
func (s *Server) finishDoc(ctx context.Context, d *docx.Doc, f report.Finishing, nodeID int64) error {
	n, err := s.st.Node(ctx, nodeID)
	if err != nil {
		return fmt.Errorf("issuing node %d: %w", nodeID, err)
	}
	ds, err := s.st.DocSettings(ctx, nodeID)
	if err != nil {
		return err
	}
	if n.Kind == org.District {
		if ds.Issuer == "" {
			ds.Issuer = "中共" + n.Name + "委宣传部"
		}
		if ds.Printer == "" {
			ds.Printer = ds.Issuer
		}
	}
	d.Keep = append(d.Keep, n.Name)
	report.Finish(d, f, ds, n.Name, s.today())
	return nil
}
