package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// The configuration file is TOML whose keys are the command's flag names:
//
//	addr = "127.0.0.1:8080"
//	data = "/var/lib/zhendi"
//	trust-proxy = ["127.0.0.1"]
//
// It is generic over the flag set, so a flag someone adds to serve is a
// configuration key the same day without more code. Precedence, highest
// first: the command line, the environment (ZHENDI_ + the flag name in
// capitals, - as _), the file, the built-in default. The environment
// variables already are the flags' defaults (see env), so "the file must not
// override a set variable" is the one rule this file adds.

// parseFlags parses args into fs after adding --config, then applies the
// configuration file. strict is for serve: every key of the file must be
// one of its flags. The administrative commands (migrate, user, backup, …)
// read the same file for its database settings and pass over the keys that
// only serve knows.
func parseFlags(fs *flag.FlagSet, args []string, strict bool) error {
	path := fs.String("config", env("ZHENDI_CONFIG", ""), "配置文件（TOML，键名即参数名，如 addr = '127.0.0.1:8080'；命令行参数和环境变量优先）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		return nil
	}
	return applyConfig(fs, *path, strict)
}

// envName is the environment variable that sets a flag.
func envName(flagName string) string {
	return "ZHENDI_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func applyConfig(fs *flag.FlagSet, path string, strict bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("读取配置文件 %s：%w", path, err)
	}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("配置文件 %s 第 %d 行格式错误（TOML）：%s", path, pe.Position.Line, pe.Message)
		}
		return fmt.Errorf("配置文件 %s 格式错误（TOML）：%w", path, err)
	}
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	// In file order, so the first wrong key is the one reported.
	for _, key := range md.Keys() {
		if len(key) != 1 {
			continue // inside a table: reported with the table's own key
		}
		name := key[0]
		f := fs.Lookup(name)
		if f == nil || name == "config" {
			if !strict && name != "config" {
				continue
			}
			return fmt.Errorf("配置文件 %s 中有未知的配置项“%s”（可用的配置项：%s）", path, name, flagNames(fs))
		}
		if onCommandLine[name] {
			continue
		}
		if v, ok := os.LookupEnv(envName(name)); ok && v != "" {
			continue
		}
		val, err := configValue(raw[name])
		if err != nil {
			return fmt.Errorf("配置文件 %s 中的“%s”：%w", path, name, err)
		}
		if err := fs.Set(name, val); err != nil {
			return fmt.Errorf("配置文件 %s 中“%s”的值“%s”无效：%w", path, name, val, err)
		}
	}
	return nil
}

// configValue turns a TOML value into the text the flag would get on the
// command line; a list becomes comma-separated (--trust-proxy takes that).
func configValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case time.Time:
		return x.Format(time.RFC3339), nil
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if _, nested := e.([]any); nested {
				return "", errors.New("列表中不能再套列表")
			}
			if _, table := e.(map[string]any); table {
				return "", errors.New("列表中不能有表")
			}
			s, err := configValue(e)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("zhendi 的配置项都写在顶层（名称 = 值），不能是表（[节]）")
	}
	return "", fmt.Errorf("不支持的值类型 %T", v)
}

func flagNames(fs *flag.FlagSet) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "config" {
			names = append(names, f.Name)
		}
	})
	slices.Sort(names)
	return strings.Join(names, "、")
}

// configEnv serves the administrative commands (user, backup, migrate,
// report, …), which have their own flag sets: it takes --config (or
// ZHENDI_CONFIG) out of args and exports each key of the file as its
// ZHENDI_ variable where that is not already set. Every database flag
// takes its default from that variable, so `zhendi user create --config
// /etc/zhendi/zhendi.toml …` opens the database the service uses, with the
// same precedence as serve (command line, environment, file). Keys the
// command does not have are ignored here; serve checks them strictly.
// It runs once in main before any flag is parsed.
func configEnv(args []string) ([]string, error) {
	path := os.Getenv("ZHENDI_CONFIG")
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case a == "--config" || a == "-config":
			if i+1 >= len(args) {
				return nil, errors.New("--config 后须给出配置文件路径")
			}
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			path = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	if path == "" {
		return rest, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取配置文件 %s：%w", path, err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, fmt.Errorf("配置文件 %s 格式错误（TOML）：%w", path, err)
	}
	for name, v := range raw {
		if v, ok := os.LookupEnv(envName(name)); ok && v != "" {
			continue
		}
		val, err := configValue(v)
		if err != nil {
			return nil, fmt.Errorf("配置文件 %s 中的“%s”：%w", path, name, err)
		}
		if err := os.Setenv(envName(name), val); err != nil {
			return nil, fmt.Errorf("配置项“%s”：%w", name, err)
		}
	}
	return rest, nil
}
