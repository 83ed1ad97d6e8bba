package memory

import "syscall"

// limit is half the machine's memory.
func limit() int64 {
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil || info.Totalram == 0 {
		return 4 << 30
	}
	return int64(uint64(info.Totalram) * uint64(info.Unit) / 2)
}
