package infosub

import (
	"bytes"
	"fmt"
	"html"
	"image"
	_ "image/gif" // image.DecodeConfig formats for draft images
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"zhendi/internal/apperr"
)

// Image is an image inserted into a draft; the file is kept under its
// SHA-256 like every attachment.
type Image struct {
	ID      int64
	DraftID int64
	Name    string
	Mime    string
	Size    int64 // bytes
	SHA256  string
}

// CheckImage checks an uploaded file meant for a draft: the signature says
// image (mime, from upload.Check) and decoding its header says it really is
// a PNG, JPEG or GIF.
func CheckImage(name, mime string, data []byte) error {
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || !strings.HasPrefix(mime, "image/") {
		return apperr.Rule(fmt.Sprintf("「%s」不是有效的图片，仅接受 PNG、JPEG、GIF", name))
	}
	return nil
}

// CanAddImages says why the user may not insert images into the draft, or
// nil: only its author may (AddImages also wants the draft with the author).
func CanAddImages(d Draft, userID int64) error {
	if d.AuthorID != userID {
		return apperr.Rule("只有撰写人可以插入图片")
	}
	return nil
}

// AddImages appends stored images (with their ids) to the end of the
// locked draft's body, each in its own paragraph: the author's, while the
// draft is with the author.
func AddImages(d *Draft, userID int64, imgs []Image) error {
	if err := CanAddImages(*d, userID); err != nil {
		return err
	}
	if !Editable(*d, userID) {
		return apperr.Rule(fmt.Sprintf("信息%s，不能添加图片", d.Status.Label()))
	}
	body := d.Body
	for _, img := range imgs {
		body += fmt.Sprintf(`<p><img src="/info/%d/img/%d" alt="%s"></p>`, d.ID, img.ID, html.EscapeString(strings.ReplaceAll(img.Name, `"`, "")))
	}
	d.Body, d.BodyText = NewSanitizer().Clean(body)
	return d.Validate()
}

// ImageFile is an uploaded image before it is stored.
type ImageFile struct {
	Name, Mime string
	Data       []byte
}
