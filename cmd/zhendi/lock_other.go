//go:build !unix

package main

import "errors"

var errDataInUse = errors.New("数据目录正被运行中的 zhendi 服务使用，请先停止服务")

// lockData does nothing where flock is not available: the operator must
// stop the server before a restore.
func lockData(string) (func(), error) { return func() {}, nil }
