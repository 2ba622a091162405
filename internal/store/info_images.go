package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"zhendi/internal/access"
	"zhendi/internal/infosub"
)

// Images inserted into drafts (info_images); the files are kept like
// attachments, under their SHA-256.

// AddInfoImages stores uploaded images (checked by infosub.CheckImage) for
// a draft: the files are written first — content-addressed, so a file left
// by a failed request is harmless and a retry reuses it — then, in one
// transaction, the image rows with their audit entries and the draft
// changed by rule (infosub.AddImages: who may, and the body that shows the
// new images, whose ids it is given). Either the draft shows every image
// or nothing is recorded. It returns the stored images with their ids.
func (s *Store) AddInfoImages(ctx context.Context, actor Actor, sc access.Scope, draftID int64, files []infosub.ImageFile,
	rule func(d *infosub.Draft, imgs []infosub.Image) error) ([]infosub.Image, error) {
	imgs := make([]infosub.Image, len(files))
	for i, f := range files {
		sum, err := s.PutBlob(f.Data)
		if err != nil {
			return nil, err
		}
		imgs[i] = infosub.Image{DraftID: draftID, Name: f.Name, Mime: f.Mime, Size: int64(len(f.Data)), SHA256: sum}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.lockDraft(ctx, tx, sc, draftID)
		if err != nil {
			return err
		}
		now := s.Now()
		for i := range imgs {
			img := &imgs[i]
			err = tx.QueryRowContext(ctx, `INSERT INTO info_images (draft_id, unit_id, name, mime, size, sha256, created_at, created_by)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, draftID, before.UnitID, img.Name, img.Mime, img.Size, img.SHA256,
				now.Unix(), nullID(actor.UserID)).Scan(&img.ID)
			if err != nil {
				return fmt.Errorf("insert image: %w", err)
			}
			err = s.appendAudit(ctx, tx, actor, before.UnitID, "info.image.add", "info", draftID, nil,
				map[string]any{"image": img.ID, "name": img.Name, "sha256": img.SHA256})
			if err != nil {
				return err
			}
		}
		d := before
		if err := rule(&d, imgs); err != nil {
			return err
		}
		if err := s.saveDraft(ctx, tx, before, d, now); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, actor, before.UnitID, "info.update", "info", draftID, draftSnapshot(before), draftSnapshot(d))
	})
	if err != nil {
		return nil, err
	}
	return imgs, nil
}

// OpenInfoImage returns an image and its file if the scope may read its
// draft; ErrNotFound otherwise.
func (s *Store) OpenInfoImage(ctx context.Context, sc access.Scope, draftID, imgID int64) (infosub.Image, io.ReadSeekCloser, error) {
	var img infosub.Image
	if _, err := s.Draft(ctx, sc, draftID); err != nil {
		return img, nil, err
	}
	err := s.db.QueryRowContext(ctx, `SELECT id, draft_id, name, mime, size, sha256 FROM info_images WHERE id = $1 AND draft_id = $2`, imgID, draftID).
		Scan(&img.ID, &img.DraftID, &img.Name, &img.Mime, &img.Size, &img.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return img, nil, ErrNotFound
	} else if err != nil {
		return img, nil, fmt.Errorf("read image: %w", err)
	}
	f, err := s.openBlob(img.SHA256)
	return img, f, err
}
