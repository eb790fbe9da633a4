// The only door to GNU readline. Swift 6 rejects touching readline's C globals directly, so
// each one SlimLab needs is reached through a static inline function here.
#ifndef SLIMLAB_CREADLINE_SHIM_H
#define SLIMLAB_CREADLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <readline/readline.h>
#include <readline/history.h>

typedef char **(*slimlab_completion_fn)(const char *text, int start, int end);
typedef char *(*slimlab_generator_fn)(const char *text, int state);
typedef int (*slimlab_hook_fn)(void);

static inline void slimlab_rl_set_completion(slimlab_completion_fn fn) {
    rl_attempted_completion_function = (rl_completion_func_t *)fn;
}
static inline void slimlab_rl_set_completion_over(int over) { rl_attempted_completion_over = over; }
static inline char **slimlab_rl_completion_matches(const char *text, slimlab_generator_fn gen) {
    return rl_completion_matches(text, (rl_compentry_func_t *)gen);
}
static inline const char *slimlab_rl_line_buffer(void) { return rl_line_buffer; }
static inline int slimlab_rl_point(void) { return rl_point; }
static inline void slimlab_rl_set_signal_event_hook(slimlab_hook_fn fn) { rl_signal_event_hook = fn; }
static inline void slimlab_rl_set_event_hook(slimlab_hook_fn fn) { rl_event_hook = fn; }
static inline void slimlab_rl_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void slimlab_rl_set_completer_word_break_characters(const char *chars) {
    rl_completer_word_break_characters = (char *)chars;
}
static inline void slimlab_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void slimlab_rl_set_completion_suppress_append(int on) { rl_completion_suppress_append = on; }
static inline void slimlab_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void slimlab_rl_clear_line(void) {
    rl_replace_line("", 0);
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
}
static inline int slimlab_history_length(void) { return history_length; }
/* The text of the history entry `offset` places after the oldest one, or NULL. */
static inline const char *slimlab_history_entry(int offset) {
    HIST_ENTRY *entry = history_get(history_base + offset);
    return entry ? entry->line : NULL;
}
static inline void slimlab_rl_set_catch_sigwinch(int on) { rl_catch_sigwinch = on; }

#endif
