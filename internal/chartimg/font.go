package chartimg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// ErrNoCJKFont is returned (wrapped) by Open when no font with Chinese
// glyphs was found, and by a nil Renderer's methods.
var ErrNoCJKFont = errors.New("chartimg: no font with Chinese glyphs")

// knownFonts are the usual places of a sans-serif CJK font, best first:
// Noto Sans CJK as Debian/Ubuntu (fonts-noto-cjk), Arch, Fedora and
// openSUSE install it, WenQuanYi, Droid fallback, then the fonts of
// Windows (微软雅黑, 黑体, 宋体) and macOS (苹方, 黑体-简).
var knownFonts = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
	`C:\Windows\Fonts\msyh.ttc`,
	`C:\Windows\Fonts\simhei.ttf`,
	`C:\Windows\Fonts\simsun.ttc`,
	"/System/Library/Fonts/PingFang.ttc",
	"/System/Library/Fonts/STHeiti Light.ttc",
}

// fontDirs are searched, after knownFonts, for a file whose name looks
// like a CJK font (fontNameHints); domestic systems (统信UOS, 麒麟) and
// hand-installed fonts land here.
func fontDirs() []string {
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local/share/fonts"), filepath.Join(home, ".fonts"))
	}
	if runtime.GOOS == "windows" {
		dirs = append(dirs, `C:\Windows\Fonts`)
	}
	if runtime.GOOS == "darwin" {
		dirs = append(dirs, "/System/Library/Fonts", "/Library/Fonts")
	}
	return dirs
}

var fontNameHints = []string{"cjk", "sourcehan", "wqy", "droidsansfallback", "simhei", "simsun", "msyh", "simfang", "simkai", "fangsong", "kaiti", "heiti", "songti", "pingfang", "hiragino sans gb", "ukai", "uming", "cesi", "fz", "方正", "黑体", "宋体", "仿宋", "楷体"}

// FindCJKFont returns the path of the first font file with Chinese glyphs:
// the known locations (knownFonts), then any file under the usual font
// folders whose name suggests a CJK font. It reads fonts only from the
// local disk, so it works on a closed network.
func FindCJKFont() (string, error) {
	path, _, err := findCJK()
	return path, err
}

func findCJK() (string, *opentype.Font, error) {
	for _, p := range knownFonts {
		if f, err := loadCJK(p); err == nil {
			return p, f, nil
		}
	}
	var found string
	var face *opentype.Font
	for _, dir := range fontDirs() {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || found != "" {
				return fs.SkipDir
			}
			if d.IsDir() {
				return nil
			}
			name := strings.ToLower(d.Name())
			ext := filepath.Ext(name)
			if ext != ".ttf" && ext != ".otf" && ext != ".ttc" {
				return nil
			}
			for _, h := range fontNameHints {
				if strings.Contains(name, h) {
					if f, err := loadCJK(path); err == nil {
						found, face = path, f
						return fs.SkipAll
					}
					break
				}
			}
			return nil
		})
		if found != "" {
			return found, face, nil
		}
	}
	return "", nil, fmt.Errorf("%w: searched %s and the font folders %s; install fonts-noto-cjk or set the font path", ErrNoCJKFont, strings.Join(knownFonts[:3], ", "), strings.Join(fontDirs(), ", "))
}

// probe is the text a usable font must have glyphs for.
const probe = "中国共产党意识形态月"

// loadCJK reads a .ttf, .otf or .ttc file and returns the face with
// glyphs for probe, preferring a Simplified Chinese one (" SC" or "GB" in
// the family name) from a collection.
func loadCJK(path string) (*opentype.Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chartimg: read font: %w", err)
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("chartimg: parse font %s: %w", path, err)
	}
	var buf sfnt.Buffer
	var first *opentype.Font
	for i := 0; i < coll.NumFonts(); i++ {
		f, err := coll.Font(i)
		if err != nil || !covers(f, &buf) {
			continue
		}
		family, _ := f.Name(&buf, sfnt.NameIDFamily)
		if strings.Contains(family, " SC") || strings.Contains(family, "GB") {
			return f, nil
		}
		if first == nil {
			first = f
		}
	}
	if first == nil {
		return nil, fmt.Errorf("%w: %s has no glyphs for %s", ErrNoCJKFont, path, probe)
	}
	return first, nil
}

func covers(f *sfnt.Font, buf *sfnt.Buffer) bool {
	for _, r := range probe {
		i, err := f.GlyphIndex(buf, r)
		if err != nil || i == 0 {
			return false
		}
	}
	return true
}
