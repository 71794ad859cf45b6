#ifndef QFECR_CNCURSESW_SHIM_H
#define QFECR_CNCURSESW_SHIM_H
// The wide-character API (get_wch, add_wch, mvaddnwstr, cchar_t) is only declared with these set.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros are invisible to Swift; these give them a callable form.
static inline int qfecr_color_pair(int n) { return COLOR_PAIR(n); }
static inline int qfecr_lines(void) { return LINES; }
static inline int qfecr_cols(void) { return COLS; }
static inline int qfecr_key_resize(void) { return KEY_RESIZE; }
static inline int qfecr_key_f(int n) { return KEY_F(n); }
static inline WINDOW *qfecr_stdscr(void) { return stdscr; }
#endif
