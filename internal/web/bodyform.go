package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// Reading a posted body before the CSRF check. The token travels in the
// body (or the X-CSRF-Token header), never in the query string, so the body
// has to be read first; it is read so that an over-size file cannot make
// the token, or the rest of the form, disappear:
//
//   - a URL-encoded body is capped at maxTextBytes;
//   - a multipart body is streamed part by part. Text fields together may
//     take maxTextBytes. A file keeps at most fileCap bytes; the rest of it
//     is read and thrown away (so the browser, which is still sending,
//     receives the answer instead of a reset connection) and its
//     FileHeader.Size is set to the size that was sent. Every handler
//     checks Size against its own limit before reading a file, so an
//     over-size file is answered “文件……超过 N MB” beside the form the user
//     filled in, with every other field kept.
//
// drainCap bounds what is read and discarded in all: beyond it the body is
// cut off (the fields before the file are still kept) and the connection
// is closed after the answer.

// maxTextBytes bounds the text of a posted form, as net/http's ParseForm
// does (10 MB): a draft pasted from Word with its markup fits.
const maxTextBytes = 10 << 20

// minFileCap is the least of a file kept whole whatever the attachment
// limit: the Excel import (10 MB) and the lexicon import (4 MB) judge their
// files against their own limits, which must see whole files below it.
const minFileCap = 16 << 20

// drainCap is the most a request body may carry in all (1 GiB).
const drainCap = 1 << 30

// errFormUnreadable is a body that is not a form or whose text fields
// exceed maxTextBytes.
var errFormUnreadable = errors.New("form body unreadable or too large")

// parseBody reads the posted form into r.PostForm, r.Form and (multipart)
// r.MultipartForm, so later ParseForm/ParseMultipartForm calls are no-ops.
// fileCap is the most of one file kept (see above).
func parseBody(w http.ResponseWriter, r *http.Request, fileCap int64) error {
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	if mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxTextBytes)
		if err := r.ParseForm(); err != nil {
			return fmt.Errorf("%w: %v", errFormUnreadable, err)
		}
		return nil
	}
	boundary := params["boundary"]
	if boundary == "" {
		return fmt.Errorf("%w: multipart without boundary", errFormUnreadable)
	}
	body := http.MaxBytesReader(w, r.Body, drainCap)
	form, err := readMultipart(multipart.NewReader(body, boundary), fileCap)
	if err != nil {
		return err
	}
	r.MultipartForm = form
	r.PostForm = url.Values(form.Value)
	r.Form = url.Values{}
	for k, vs := range form.Value {
		r.Form[k] = append(r.Form[k], vs...)
	}
	for k, vs := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], vs...)
	}
	return nil
}

// fileSize is the size a client sent for the n-th file of a field.
type fileSize struct {
	field string
	n     int
	size  int64
}

// readMultipart copies src into a fresh multipart stream, files cut at
// fileCap, and parses that with the standard reader (files beyond 8 MB go
// to temporary files, removed by net/http after the request). It returns
// the form with the sent sizes of cut files restored.
func readMultipart(src *multipart.Reader, fileCap int64) (*multipart.Form, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var cut []fileSize
	done := make(chan error, 1)
	go func() {
		err := copyParts(src, mw, fileCap, &cut)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
		done <- err
	}()
	form, rerr := multipart.NewReader(pr, mw.Boundary()).ReadForm(8 << 20)
	pr.CloseWithError(errFormUnreadable) // unblocks the copier if ReadForm stopped early
	werr := <-done
	if werr != nil {
		if form != nil {
			form.RemoveAll()
		}
		if errors.Is(werr, errFormUnreadable) {
			return nil, werr
		}
		return nil, fmt.Errorf("%w: %v", errFormUnreadable, werr)
	}
	if rerr != nil {
		return nil, fmt.Errorf("%w: %v", errFormUnreadable, rerr)
	}
	for _, c := range cut {
		if fhs := form.File[c.field]; c.n < len(fhs) {
			fhs[c.n].Size = c.size
		}
	}
	return form, nil
}

// copyParts writes every part of src to mw: text fields whole (at most
// maxTextBytes together), files up to fileCap bytes with the rest read and
// discarded, its sent size recorded in cut. A body cut off by drainCap
// inside a file ends the form there; anywhere else it is an error.
func copyParts(src *multipart.Reader, mw *multipart.Writer, fileCap int64, cut *[]fileSize) error {
	var text int64
	files := map[string]int{}
	for {
		p, err := src.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: next part: %v", errFormUnreadable, err)
		}
		name := p.FormName()
		if name == "" {
			continue
		}
		if p.FileName() == "" {
			dst, err := mw.CreateFormField(name)
			if err != nil {
				return err
			}
			n, err := io.Copy(dst, io.LimitReader(p, maxTextBytes-text+1))
			text += n
			if err != nil || text > maxTextBytes {
				return fmt.Errorf("%w: text fields exceed %d bytes or unreadable", errFormUnreadable, maxTextBytes)
			}
			continue
		}
		dst, err := mw.CreatePart(p.Header)
		if err != nil {
			return err
		}
		idx := files[name]
		files[name]++
		n, err := io.Copy(dst, io.LimitReader(p, fileCap+1))
		if err != nil {
			if isBodyTooLarge(err) {
				*cut = append(*cut, fileSize{name, idx, max(n, fileCap+1)})
				return nil
			}
			return fmt.Errorf("%w: file part: %v", errFormUnreadable, err)
		}
		if n > fileCap {
			rest, err := io.Copy(io.Discard, p)
			*cut = append(*cut, fileSize{name, idx, n + rest})
			if err != nil {
				if isBodyTooLarge(err) {
					return nil
				}
				return fmt.Errorf("%w: file part: %v", errFormUnreadable, err)
			}
		}
	}
}

func isBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// csrfToken is the token a request carries: the X-CSRF-Token header or
// the posted csrf field. The query string is never read: a token in a URL
// leaks through logs, history and the Referer header.
func csrfToken(r *http.Request) string {
	if t := r.Header.Get("X-CSRF-Token"); t != "" {
		return t
	}
	return strings.TrimSpace(r.PostForm.Get("csrf"))
}
