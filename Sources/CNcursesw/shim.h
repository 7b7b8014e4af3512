// The C side of the terminal driver: ncursesw's wide-character API, with the macros and globals
// that Swift cannot import wrapped as static inline functions.
//
// SwiftPM drops pkg-config's -D flags, so the wide-character switches are defined here, before
// the first ncurses include.
#ifndef GRADFLOW_CNCURSESW_SHIM_H
#define GRADFLOW_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// MARK: globals

static inline WINDOW *gf_stdscr(void) { return stdscr; }
static inline FILE *gf_stdin(void) { return stdin; }
static inline FILE *gf_stdout(void) { return stdout; }

/// The terminal's size in cells (getmaxyx is a macro).
static inline int gf_lines(void) { return getmaxy(stdscr); }
static inline int gf_columns(void) { return getmaxx(stdscr); }

/// The character set the locale selected: "UTF-8" when box drawing may be used.
static inline const char *gf_codeset(void) { return nl_langinfo(CODESET); }

// MARK: attributes and colours

static inline attr_t gf_attr_normal(void) { return A_NORMAL; }
static inline attr_t gf_attr_bold(void) { return A_BOLD; }
static inline attr_t gf_attr_dim(void) { return A_DIM; }
static inline attr_t gf_attr_reverse(void) { return A_REVERSE; }
static inline attr_t gf_attr_underline(void) { return A_UNDERLINE; }
static inline int gf_color_pairs(void) { return COLOR_PAIRS; }
static inline int gf_colors(void) { return COLORS; }

// MARK: drawing

/// Puts one cell: a base character with up to four combining characters, with attributes and a
/// colour pair. Returns ERR when the cell is off screen (e.g. mid-resize); callers ignore it.
static inline int gf_put_cell(int y, int x, const wchar_t *text, attr_t attributes, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}

// MARK: input

/// Reads one key: returns OK for a character, KEY_CODE_YES for a function key, ERR on timeout
/// or interruption (a signal); the key is stored in `key`.
static inline int gf_read_key(wint_t *key) { return get_wch(key); }

/// Turns on the mouse reports the stepper uses: a left click.
static inline void gf_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
    mouseinterval(0);
}

/// After KEY_MOUSE: the cell of a left click, or 0 if the event was something else.
static inline int gf_left_click(int *y, int *x) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (!(event.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) return 0;
    *y = event.y;
    *x = event.x;
    return 1;
}

// MARK: key codes (macros in C)

static inline int gf_key_up(void) { return KEY_UP; }
static inline int gf_key_down(void) { return KEY_DOWN; }
static inline int gf_key_left(void) { return KEY_LEFT; }
static inline int gf_key_right(void) { return KEY_RIGHT; }
static inline int gf_key_home(void) { return KEY_HOME; }
static inline int gf_key_end(void) { return KEY_END; }
static inline int gf_key_page_up(void) { return KEY_PPAGE; }
static inline int gf_key_page_down(void) { return KEY_NPAGE; }
static inline int gf_key_backspace(void) { return KEY_BACKSPACE; }
static inline int gf_key_back_tab(void) { return KEY_BTAB; }
static inline int gf_key_enter(void) { return KEY_ENTER; }
static inline int gf_key_resize(void) { return KEY_RESIZE; }
static inline int gf_key_mouse(void) { return KEY_MOUSE; }
static inline int gf_key_code_yes(void) { return KEY_CODE_YES; }
static inline int gf_ok(void) { return OK; }
static inline int gf_err(void) { return ERR; }

#endif
