package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

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
			mime, err := upload.Check(fh.Filename, data, limit)
			if err != nil {
				return nil, err
			}
			kind := ""
			if field == "report" {
				kind = "report"
			}
			out = append(out, uploadedFile{att: ledger.Attachment{Name: cleanFileName(fh.Filename), Mime: mime, Kind: kind}, data: data})
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
		return nil, apperr.Rule(fmt.Sprintf("附件「%s」超过大小上限 %d MB", fh.Filename, limit>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, apperr.Rule(fmt.Sprintf("读取附件「%s」失败", fh.Filename))
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// cleanFileName keeps the base name and drops characters that could break a
// Content-Disposition header.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == 127 {
			return -1
		}
		return r
	}, name)
	if name == "" {
		name = "附件"
	}
	return name
}
