package service

import (
	"context"

	"zhendi/internal/access"
	"zhendi/internal/apperr"
	"zhendi/internal/infosub"
	"zhendi/internal/store"
)

// AddDraftImages stores uploaded images and appends them to the author's
// draft. Every file is checked before any is written (infosub.CheckImage);
// the store writes the files first and then the image rows, the draft's
// new body and their audit entries in one transaction, so the draft never
// names an image that is not stored and no image row is left out of the
// body.
func (s *Service) AddDraftImages(ctx context.Context, actor store.Actor, sc access.Scope, draftID int64, files []infosub.ImageFile) error {
	if len(files) == 0 {
		return apperr.Rule("请选择图片")
	}
	d, err := s.st.Draft(ctx, sc, draftID)
	if err != nil {
		return err
	}
	if err := infosub.CanAddImages(d, actor.UserID); err != nil {
		return err
	}
	for _, f := range files {
		if err := infosub.CheckImage(f.Name, f.Mime, f.Data); err != nil {
			return err
		}
	}
	_, err = s.st.AddInfoImages(ctx, actor, sc, draftID, files, func(d *infosub.Draft, imgs []infosub.Image) error {
		return infosub.AddImages(d, actor.UserID, imgs)
	})
	return err
}
