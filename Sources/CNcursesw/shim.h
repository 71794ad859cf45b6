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
static inline int qfecr_colors(void) { return COLORS; }
static inline int qfecr_key_code_yes(void) { return KEY_CODE_YES; }
static inline unsigned int qfecr_a_normal(void) { return A_NORMAL; }
static inline unsigned int qfecr_a_bold(void) { return A_BOLD; }
static inline unsigned int qfecr_a_dim(void) { return A_DIM; }
static inline unsigned int qfecr_a_underline(void) { return A_UNDERLINE; }
static inline unsigned int qfecr_a_reverse(void) { return A_REVERSE; }
static inline unsigned int qfecr_a_standout(void) { return A_STANDOUT; }
static inline int qfecr_attrset(unsigned int a) { return attrset((int)a); }
#endif
