#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

/* Swift 6 refuses to assign imported C globals; these setters do it on the C side. */
static inline void rl_set_completer(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void rl_set_completion_append(int c) { rl_completion_append_character = c; }
static inline const char *rl_current_line(void) { return rl_line_buffer; }
static inline int rl_cursor(void) { return rl_point; }
