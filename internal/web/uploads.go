package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"zhendi/internal/apperr"
	"zhendi/internal/ledger"
	"zhendi/internal/service"
	"zhendi/internal/upload"
)

// Reading uploaded files from a multipart form: every file is read whole,
// bounded by the security settings' size limit, and its type checked by
// content (upload.Check) before anything is stored.

// uploadedFile is a checked upload waiting to be stored.
type uploadedFile struct {
	att  ledger.Attachment
	data []byte
}

// readUploads reads and checks every file of the given form fields; files
// of the field "report" are the report document (Kind "report").
func (s *Server) readUploads(r *http.Request, fields ...string) ([]uploadedFile, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	sec, err := s.st.SecuritySettings(r.Context())
	if err != nil {
		return nil, err
	}
	limit := int64(sec.MaxUploadMB) << 20
	var out []uploadedFile
	for _, field := range fields {
		for _, fh := range r.MultipartForm.File[field] {
			data, err := readPart(fh, limit)
			if err != nil {
				return nil, err
			}
			name := cleanFileName(fh.Filename)
			mime, err := upload.Check(name, data, limit)
			if err != nil {
				return nil, err
			}
			kind := ""
			if field == "report" {
				kind = "report"
			}
			out = append(out, uploadedFile{att: ledger.Attachment{Name: name, Mime: mime, Kind: kind}, data: data})
		}
	}
	return out, nil
}

// serviceUploads hands checked uploads to the service.
func serviceUploads(files []uploadedFile) []service.Upload {
	out := make([]service.Upload, len(files))
	for i, f := range files {
		out[i] = service.Upload{Name: f.att.Name, Mime: f.att.Mime, Kind: f.att.Kind, Data: f.data}
	}
	return out
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	if fh.Size > limit {
		return nil, apperr.Rule(tooLarge(cleanFileName(fh.Filename), limit))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload %q: %w", fh.Filename, err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}
