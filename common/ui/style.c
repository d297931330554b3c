/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/style.h"

#include "lib/strbuf.h"
#include "lib/util.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

/* Colour numbers for terminals with 256 colours, then with 8. */
struct palette_entry {
	short c256;
	short c8;
	bool bold;
};

static const struct palette_entry palette[STYLE_ROLE_COUNT] = {
	[STYLE_NS_FIRST + NS_CGROUP] = { 172, 3, false },
	[STYLE_NS_FIRST + NS_IPC] = { 135, 5, false },
	[STYLE_NS_FIRST + NS_MNT] = { 33, 4, false },
	[STYLE_NS_FIRST + NS_NET] = { 70, 2, false },
	[STYLE_NS_FIRST + NS_PID] = { 38, 6, false },
	[STYLE_NS_FIRST + NS_TIME] = { 178, 3, false },
	[STYLE_NS_FIRST + NS_USER] = { 170, 5, false },
	[STYLE_NS_FIRST + NS_UTS] = { 67, 4, false },
	[STYLE_PROCESS] = { 214, 3, true },
	[STYLE_PID] = { 245, 6, false },
	[STYLE_USER] = { 142, 2, false },
	[STYLE_PATH] = { 109, 6, false },
	[STYLE_UNKNOWN] = { 196, 1, true },
	[STYLE_CONTAINER] = { 75, 4, true },
};

int style_parse_when(const char *arg, enum color_when *when)
{
	if (!arg || !strcmp(arg, "always"))
		*when = COLOR_ALWAYS;
	else if (!strcmp(arg, "auto"))
		*when = COLOR_AUTO;
	else if (!strcmp(arg, "never"))
		*when = COLOR_NEVER;
	else
		return -1;
	return 0;
}

enum style_role style_role_of_type(enum ns_type type)
{
	return (enum style_role)(STYLE_NS_FIRST + type);
}

/* terminfo capabilities are char * in the API, though never written to. */
static const char *capability(const char *name)
{
	const char *s = tigetstr((char *)(uintptr_t)name);

	return s == (char *)-1 ? NULL : s;
}

static bool load_terminfo(enum color_when when)
{
	int err;

	if (setupterm(NULL, STDOUT_FILENO, &err) == OK)
		return true;
	return when == COLOR_ALWAYS && setupterm("ansi", STDOUT_FILENO, &err) == OK;
}

static char *sequence_for(enum style_role role, int colors)
{
	const char *setaf = capability("setaf");
	const char *bold = capability("bold");
	struct strbuf sb = STRBUF_INIT;
	bool is_bold;
	short color;

	style_role_color(role, colors, &color, &is_bold);
	if (is_bold && bold)
		strbuf_adds(&sb, bold);
	if (setaf)
		strbuf_adds(&sb, tiparm(setaf, color));
	return strbuf_detach(&sb);
}

/* no-color.org: NO_COLOR set to anything but the empty string. */
static bool no_color_requested(void)
{
	const char *v = getenv("NO_COLOR");

	return v && *v;
}

void style_init(struct style *st, enum color_when when)
{
	const char *sgr0;
	int colors;

	memset(st, 0, sizeof(*st));
	if (when == COLOR_NEVER)
		return;
	if (when == COLOR_AUTO && (no_color_requested() || !isatty(STDOUT_FILENO)))
		return;
	if (!load_terminfo(when))
		return;
	colors = tigetnum("colors");
	sgr0 = capability("sgr0");
	if (colors < 8 || !sgr0 || !capability("setaf"))
		return;
	st->enabled = true;
	st->reset = xstrdup(sgr0);
	for (int r = 0; r < STYLE_ROLE_COUNT; r++)
		st->start[r] = sequence_for((enum style_role)r, colors);
}

void style_init_marks(struct style *st, enum color_when when)
{
	memset(st, 0, sizeof(*st));
	if (when == COLOR_NEVER || (when == COLOR_AUTO && no_color_requested()))
		return;
	st->enabled = true;
	st->reset = xstrdup((char[]){ STYLE_MARK_END, '\0' });
	for (int r = 0; r < STYLE_ROLE_COUNT; r++)
		st->start[r] = xstrdup((char[]){ STYLE_MARK, STYLE_MARK_ROLE(r),
						 '\0' });
}

const char *style_mark_at(const char *s, int *role)
{
	if (s[0] == STYLE_MARK_END) {
		*role = -1;
		return s + 1;
	}
	if (s[0] != STYLE_MARK || s[1] < 'A' || s[1] >= 'A' + STYLE_ROLE_COUNT)
		return NULL;
	*role = s[1] - 'A';
	return s + 2;
}

void style_add_unmarked(struct strbuf *sb, const char *text)
{
	const char *s = text;
	int role;

	while (*s) {
		const char *after = style_mark_at(s, &role);
		size_t n = 0;

		if (after) {
			s = after;
			continue;
		}
		while (s[n] && s[n] != STYLE_MARK && s[n] != STYLE_MARK_END)
			n++;
		strbuf_add(sb, s, n ? n : 1);
		s += n ? n : 1;
	}
}

void style_role_color(enum style_role role, int colors, short *color,
		      bool *bold)
{
	*color = colors >= 256 ? palette[role].c256 : palette[role].c8;
	*bold = palette[role].bold;
}

void style_release(struct style *st)
{
	for (int r = 0; r < STYLE_ROLE_COUNT; r++)
		free(st->start[r]);
	free(st->reset);
	memset(st, 0, sizeof(*st));
}

void style_begin(struct strbuf *sb, const struct style *st,
		 enum style_role role)
{
	if (st->enabled && st->start[role])
		strbuf_adds(sb, st->start[role]);
}

void style_end(struct strbuf *sb, const struct style *st,
	       enum style_role role)
{
	if (st->enabled && st->start[role])
		strbuf_adds(sb, st->reset);
}

void style_add(struct strbuf *sb, const struct style *st,
	       enum style_role role, const char *text)
{
	style_begin(sb, st, role);
	strbuf_adds(sb, text);
	style_end(sb, st, role);
}
