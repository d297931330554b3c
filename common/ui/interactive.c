/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/interactive.h"

#include "lib/strbuf.h"
#include "lib/util.h"
#include "ui/browse.h"
#include "ui/details.h"
#include "ui/screen.h"
#include "ui/warning.h"

/* only for the KEY_ values that screen_key() returns */
#include <curses.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keys as curses reads them (the special ones are its KEY_ values). */
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_TAB '\t'
#define KEY_ESCAPE 27

/* --- the state ------------------------------------------------------------ */

struct ui {
	const struct cli_common *o;
	interactive_build *build;
	void *ctx;
	struct model m;
	struct view v;
	struct browse b;
	char *header;            /* above the trees, or NULL */
	char *warning;           /* of the model, or NULL */
	char when[32];           /* the time of the discovery */
	double interval;         /* seconds between discoveries when watching */
	bool watching;
	double next;             /* when to discover next, CLOCK_MONOTONIC */
	bool details;            /* the pane is open */
	size_t details_scroll;   /* its first line */
	bool help;
	size_t top;              /* the first visible row drawn */
	char message[160];       /* said once, on the message line */
};

static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

/*
 * SIGINT, SIGTERM and SIGHUP end the loop (the terminal given back), not
 * the tool at once. Set before curses starts, which then leaves them.
 */
static void catch_quit_signals(void)
{
	struct sigaction sa = { .sa_handler = on_quit_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(struct ui *ui, const char *text)
{
	snprintf(ui->message, sizeof(ui->message), "%s", text);
}

/* --- frames --------------------------------------------------------------- */

static void stamp(struct ui *ui)
{
	time_t now = time(NULL);
	struct tm tm;

	if (ui->o->load)
		snprintf(ui->when, sizeof(ui->when), "loaded");
	else if (localtime_r(&now, &tm))
		strftime(ui->when, sizeof(ui->when), "%H:%M:%S", &tm);
}

/* Makes the frame of ui->m and shows it in place of the one before. */
static void show_model(struct ui *ui, bool mark)
{
	struct interactive_frame f = { 0 };

	view_init_marks(&ui->v, &ui->m, ui->o->color);
	ui->build(&f, &ui->v, ui->ctx);
	browse_set_trees(&ui->b, f.roots, f.nroots, mark);
	free(ui->header);
	ui->header = f.header;
	free(ui->warning);
	ui->warning = warning_text(&ui->m);
	stamp(ui);
}

/*
 * r, and every interval when watching: a new discovery, shown with what
 * changed marked; the frames are built before the old model goes, for
 * their text is the model's.
 */
static void rediscover(struct ui *ui)
{
	struct model old_model = ui->m;
	struct view old_view = ui->v;
	int ret;

	if (ui->o->load) {
		say(ui, "a loaded dump is not discovered again");
		return;
	}
	screen_draw_bar(screen_lines() - 1, " discovering...", NULL,
			SCREEN_BAR);
	screen_show();
	ret = cli_rediscover(ui->o, &ui->m);
	if (ret < 0) {
		ui->m = old_model;
		snprintf(ui->message, sizeof(ui->message),
			 "discovery failed: %s", strerror(-ret));
		return;
	}
	show_model(ui, true);
	view_release(&old_view);
	model_release(&old_model);
}

/* --- layout --------------------------------------------------------------- */

struct layout {
	int tree_y, tree_rows;    /* the trees' rows */
	int pane_y, pane_rows;    /* the details' rows, title included; 0: none */
	int message_y;            /* -1: no message line */
	int status_y;
};

static const char *message_of(const struct ui *ui)
{
	return ui->message[0] ? ui->message : ui->warning;
}

static struct layout lay_out(const struct ui *ui)
{
	struct layout l = { .status_y = screen_lines() - 1 };
	int body;

	l.message_y = message_of(ui) ? l.status_y - 1 : -1;
	l.tree_y = ui->header ? 1 : 0;
	body = (message_of(ui) ? l.message_y : l.status_y) - l.tree_y;
	l.tree_rows = body;
	if (ui->details) {
		l.pane_rows = body / 2;
		l.tree_rows = body - l.pane_rows;
		l.pane_y = l.tree_y + l.tree_rows;
	}
	return l;
}

/* Scrolls so that the cursor's row is in sight. */
static void follow_cursor(struct ui *ui, int rows)
{
	size_t row = browse_cursor_row(&ui->b);

	if (rows <= 0)
		return;
	if (row < ui->top)
		ui->top = row;
	else if (row >= ui->top + (size_t)rows)
		ui->top = row - (size_t)rows + 1;
	if (ui->top + (size_t)rows > ui->b.nvisible)
		ui->top = ui->b.nvisible > (size_t)rows ?
				  ui->b.nvisible - (size_t)rows : 0;
}

/* --- drawing -------------------------------------------------------------- */

/* What follows a line: how much a fold hides, and what changed. */
static void line_suffix(const struct browse *b, size_t i, struct strbuf *sb)
{
	const struct browse_line *l = &b->lines[i];

	strbuf_setlen(sb, 0);
	if (l->folded)
		strbuf_addf(sb, "  [+%zu]", l->end - i - 1);
	if (l->prop < 0 && l->mark == BROWSE_NEW)
		strbuf_adds(sb, "  [new]");
	if (l->prop < 0 && l->mark == BROWSE_GONE)
		strbuf_adds(sb, "  [gone]");
}

static unsigned line_look(const struct browse *b, size_t i)
{
	const struct browse_line *owner = &b->lines[b->lines[i].owner];
	unsigned look = i == b->cursor ? SCREEN_SELECTED : SCREEN_PLAIN;

	if (owner->mark == BROWSE_NEW)
		look |= SCREEN_NEW;
	if (owner->mark == BROWSE_GONE)
		look |= SCREEN_GONE;
	return look;
}

static void draw_trees(struct ui *ui, const struct layout *l)
{
	struct strbuf suffix = STRBUF_INIT;

	for (int r = 0; r < l->tree_rows; r++) {
		size_t row = ui->top + (size_t)r;
		size_t i;

		if (row >= ui->b.nvisible)
			break;
		i = ui->b.visible[row];
		line_suffix(&ui->b, i, &suffix);
		screen_draw_line(l->tree_y + r, ui->b.lines[i].prefix,
				 ui->b.lines[i].text, suffix.buf,
				 ui->b.search, line_look(&ui->b, i));
	}
	strbuf_release(&suffix);
}

/* A task of the model by its TID and start time. */
static const struct task *find_task(const struct model *m,
				    const struct tree_key *k)
{
	for (size_t i = 0; i < m->nprocs; i++)
		for (size_t t = 0; t < m->procs[i]->ntasks; t++) {
			const struct task *task = &m->procs[i]->tasks[t];

			if ((uint64_t)task->tid == k->a &&
			    task->starttime == k->b)
				return task;
		}
	return NULL;
}

/*
 * The details of what the node stands for, from the model of this
 * discovery; NULL when it stands for nothing in it (or went away).
 */
static struct tree_node *details_of(const struct ui *ui,
				    const struct tree_key *k)
{
	const struct ns *ns;
	const struct proc *p;
	const struct task *t;

	switch (k->kind) {
	case TREE_KEY_NS:
		ns = k->a ? model_ns(&ui->m, k->a) : model_ns_by_id(&ui->m, k->b);
		return ns ? details_of_ns(&ui->v, ns) : NULL;
	case TREE_KEY_PROC:
		p = model_proc(&ui->m, (pid_t)k->a);
		return p && p->starttime == k->b ? details_of_proc(&ui->v, p)
						 : NULL;
	case TREE_KEY_TASK:
		t = find_task(&ui->m, k);
		return t ? details_of_task(&ui->v, t) : NULL;
	case TREE_KEY_NONE:
		break;
	}
	return NULL;
}

/* The node itself, as the trees show it: for one without details. */
static struct tree_node *copy_of(const struct tree_node *node)
{
	struct tree_node *copy = tree_node_new(xstrdup(node->label));

	for (size_t i = 0; i < node->nprops; i++)
		tree_add_prop(copy, xstrdup(node->props[i]));
	return copy;
}

struct pane_draw {
	int y, last_y;
	size_t skip;      /* lines scrolled past */
};

static int draw_pane_line(const struct tree_line *tl, void *ctx)
{
	struct pane_draw *pd = ctx;

	if (pd->skip) {
		pd->skip--;
		return 0;
	}
	if (pd->y <= pd->last_y)
		pd->y += screen_draw_wrapped(pd->y, pd->last_y, tl->prefix,
					     tl->text);
	return 0;
}

static int count_line(const struct tree_line *tl, void *ctx)
{
	size_t *n = ctx;

	(void)tl;
	(*n)++;
	return 0;
}

/* What the pane shows: the details of what the cursor's line stands for. */
static struct tree_node *pane_tree(const struct ui *ui)
{
	const struct tree_node *node = browse_selected(&ui->b);
	struct tree_key key = browse_selected_key(&ui->b);
	struct tree_node *details = NULL;

	if (node && browse_selected_mark(&ui->b) != BROWSE_GONE)
		details = details_of(ui, &key);
	return details || !node ? details : copy_of(node);
}

static void draw_details(struct ui *ui, const struct layout *l)
{
	struct tree_node *details = pane_tree(ui);
	struct pane_draw pd = { .y = l->pane_y + 1,
				.last_y = l->pane_y + l->pane_rows - 1 };
	size_t lines = 0;
	char title[96];

	if (details)
		tree_walk(details, ui->b.style, count_line, &lines);
	/* J stops at the last line */
	if (ui->details_scroll >= lines)
		ui->details_scroll = lines ? lines - 1 : 0;
	pd.skip = ui->details_scroll;
	if (details)
		tree_walk(details, ui->b.style, draw_pane_line, &pd);
	snprintf(title, sizeof(title), " details%s  (J/K scroll, d closes)",
		 browse_selected_mark(&ui->b) == BROWSE_GONE ?
			 ": gone since the last discovery" : "");
	screen_draw_bar(l->pane_y, title, NULL, SCREEN_BAR);
	tree_free(details);
}

static const char *const help_lines[] = {
	"Keys",
	"",
	"  Up, k / Down, j      the line above / below",
	"  PgUp / PgDn          a screen up / down",
	"  Home, g / End, G     the first / the last line",
	"  Left, h              fold the node, or go to its parent",
	"  Right, l             unfold the node, or go to its first child",
	"  Enter, Space         fold or unfold the node",
	"  + / -                unfold / fold every node",
	"  /                    search (a case-insensitive part of a line)",
	"  n / N                the next / previous match",
	"  d, Tab               open or close the details of the node",
	"  J / K                scroll the details down / up",
	"  r                    discover again",
	"  w                    discover again every interval (--interval)",
	"  Ctrl-L               draw the screen again",
	"  ?                    this help; any key closes it",
	"  q, Escape            quit (Escape first closes a pane or a search)",
	"",
	"  [new]: appeared with the last discovery; [gone]: went away with it",
	"  [+N]: a folded node, N lines hidden",
};

static void draw_help(const struct layout *l)
{
	int rows = l->status_y - l->tree_y;

	for (int r = 0; r < rows && (size_t)r < ARRAY_SIZE(help_lines); r++)
		screen_draw_line(l->tree_y + r, "", help_lines[r], NULL, NULL,
				 SCREEN_PLAIN);
}

static void draw_status(const struct ui *ui, const struct layout *l)
{
	struct strbuf left = STRBUF_INIT, right = STRBUF_INIT;

	/* some processes not even in the model: a partial count says so */
	strbuf_addf(&left, " %s  %s  %zu namespaces, %s%zu processes",
		    cli_tool_name(), ui->when, ui->m.nns,
		    ui->m.discovery.unread.processes >
				    ui->m.discovery.inaccessible
			    ? "at least "
			    : "",
		    ui->m.nprocs);
	if (ui->watching)
		strbuf_addf(&left, "  every %gs", ui->interval);
	if (ui->b.search)
		strbuf_addf(&right, "match %zu of %zu  ",
			    browse_match_ordinal(&ui->b), ui->b.nmatches);
	strbuf_adds(&right, "? help  q quit ");
	screen_draw_bar(l->status_y, left.buf, right.buf, SCREEN_BAR);
	strbuf_release(&left);
	strbuf_release(&right);
}

static void draw_too_small(void)
{
	screen_clear();
	screen_draw_line(0, "", "The terminal is too small.", NULL, NULL,
			 SCREEN_WARN);
	screen_show();
}

static void draw(struct ui *ui)
{
	struct layout l = lay_out(ui);

	if (screen_cols() < CLI_INTERACTIVE_MIN_COLS ||
	    screen_lines() < CLI_INTERACTIVE_MIN_LINES) {
		draw_too_small();
		return;
	}
	screen_clear();
	follow_cursor(ui, l.tree_rows);
	if (ui->header)
		screen_draw_line(0, "", ui->header, NULL, NULL, SCREEN_BAR);
	if (ui->help)
		draw_help(&l);
	else
		draw_trees(ui, &l);
	if (ui->details && !ui->help)
		draw_details(ui, &l);
	if (l.message_y >= 0)
		screen_draw_line(l.message_y, "", message_of(ui), NULL, NULL,
				 SCREEN_WARN);
	draw_status(ui, &l);
	screen_show();
}

/* --- keys ----------------------------------------------------------------- */

/* Reads the text of a search on the status line; NULL when cancelled. */
static char *read_search(struct ui *ui)
{
	struct strbuf text = STRBUF_INIT;
	struct layout l;

	for (;;) {
		int ch;

		draw(ui);
		l = lay_out(ui);
		screen_draw_bar(l.status_y, "/", NULL, SCREEN_PLAIN);
		screen_draw_line(l.status_y, "/", text.buf, NULL, NULL,
				 SCREEN_PLAIN);
		screen_show();
		ch = screen_key(-1);
		if (quit_signal || ch == KEY_ESCAPE) {
			strbuf_release(&text);
			return NULL;
		}
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return strbuf_detach(&text);
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == KEY_CTRL('h')) &&
		    text.len)
			strbuf_setlen(&text, text.len - 1);
		else if (ch >= 0x20 && ch < 0x100 && ch != 127 && text.len < 200)
			strbuf_addc(&text, (char)ch);
	}
}

static void start_search(struct ui *ui)
{
	char *text = read_search(ui);

	if (!text)
		return;
	if (*text && !browse_search(&ui->b, text)) {
		snprintf(ui->message, sizeof(ui->message), "no line has \"%s\"",
			 text);
		browse_search(&ui->b, NULL);
	} else if (!*text) {
		browse_search(&ui->b, NULL);
	}
	free(text);
}

/* How many rows PgUp and PgDn move. */
static long page(const struct ui *ui)
{
	struct layout l = lay_out(ui);

	return l.tree_rows > 1 ? l.tree_rows - 1 : 1;
}

/* The keys that move the cursor; false for any other key. */
static bool move_key(struct ui *ui, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k':
		browse_move(&ui->b, -1);
		return true;
	case KEY_DOWN: case 'j':
		browse_move(&ui->b, 1);
		return true;
	case KEY_PPAGE: case KEY_CTRL('b'):
		browse_move(&ui->b, -page(ui));
		return true;
	case KEY_NPAGE: case KEY_CTRL('f'):
		browse_move(&ui->b, page(ui));
		return true;
	case KEY_HOME: case 'g':
		browse_move_to_row(&ui->b, 0);
		return true;
	case KEY_END: case 'G':
		browse_move_to_row(&ui->b, ui->b.nvisible);
		return true;
	}
	return false;
}

/* The keys that fold; false for any other key. */
static bool fold_key(struct ui *ui, int ch)
{
	switch (ch) {
	case KEY_LEFT: case 'h':
		browse_left(&ui->b);
		return true;
	case KEY_RIGHT: case 'l':
		browse_right(&ui->b);
		return true;
	case '\n': case '\r': case KEY_ENTER: case ' ':
		browse_toggle(&ui->b);
		return true;
	case '+':
		browse_fold_all(&ui->b, false);
		return true;
	case '-':
		browse_fold_all(&ui->b, true);
		return true;
	}
	return false;
}

static void toggle_watch(struct ui *ui)
{
	if (ui->o->load) {
		say(ui, "a loaded dump is not discovered again");
		return;
	}
	ui->watching = !ui->watching;
	ui->next = monotonic_now() + ui->interval;
}

/* The keys of panes, search and discovery; false for any other key. */
static bool other_key(struct ui *ui, int ch)
{
	switch (ch) {
	case '/':
		start_search(ui);
		return true;
	case 'n': case 'N':
		if (!browse_next_match(&ui->b, ch == 'n'))
			say(ui, ui->b.search ? "no match" : "no search: / first");
		return true;
	case 'd': case KEY_TAB:
		ui->details = !ui->details;
		return true;
	case 'J':
		ui->details_scroll++;
		return true;
	case 'K':
		if (ui->details_scroll)
			ui->details_scroll--;
		return true;
	case 'r':
		rediscover(ui);
		return true;
	case 'w':
		toggle_watch(ui);
		return true;
	case '?':
		ui->help = true;
		return true;
	case KEY_CTRL('l'):
		screen_redraw();
		return true;
	}
	return false;
}

/* Escape closes what is open, innermost first; false: nothing was. */
static bool close_something(struct ui *ui)
{
	if (ui->details) {
		ui->details = false;
		return true;
	}
	if (ui->b.search) {
		browse_search(&ui->b, NULL);
		return true;
	}
	return false;
}

/* Does what ch asks; false when it asks to quit. */
static bool take_key(struct ui *ui, int ch)
{
	const struct tree_node *before = browse_selected(&ui->b);

	ui->message[0] = '\0';
	if (ui->help) {
		ui->help = false;
		return ch != 'q';
	}
	if (ch == 'q' || (ch == KEY_ESCAPE && !close_something(ui)))
		return false;
	if (!move_key(ui, ch) && !fold_key(ui, ch))
		other_key(ui, ch);
	if (browse_selected(&ui->b) != before)
		ui->details_scroll = 0;
	return true;
}

/* How long to wait for a key: until the next discovery when watching. */
static int wait_ms(const struct ui *ui)
{
	double left;

	if (!ui->watching)
		return -1;
	left = ui->next - monotonic_now();
	return left > 0 ? (int)ceil(left * 1000) : 0;
}

static void loop(struct ui *ui)
{
	for (;;) {
		int ch;

		draw(ui);
		ch = screen_key(wait_ms(ui));
		if (quit_signal)
			return;
		if (ch >= 0 && ch != KEY_RESIZE && !take_key(ui, ch))
			return;
		/* keys typed all the while do not hold a due discovery up */
		if (ui->watching && monotonic_now() >= ui->next) {
			rediscover(ui);
			ui->next = monotonic_now() + ui->interval;
		}
	}
}

/* --- the run -------------------------------------------------------------- */

static void end_screen(void)
{
	screen_end();
}

/*
 * Start times tell a process from a later one with its PID; nsids are
 * one question a network namespace. Command lines, UIDs and every
 * process's cgroup would be a file more a process each, and would make
 * the first screen slower than the text view by more than a fifth.
 */
static void widen_scope(struct discovery_scope *scope)
{
	scope->no_starttimes = false;
	scope->no_netnsids = false;
}

void interactive_run(struct cli_common *o, interactive_build *build,
		     void *ctx)
{
	struct ui ui = { .o = o, .build = build, .ctx = ctx,
			 .interval = o->interval };

	widen_scope(&o->scope);
	cli_get_model_kept(o, &ui.m);
	browse_init(&ui.b, cli_tree_style(o));
	/* the first frame before the screen: what ends the tool ends it here */
	show_model(&ui, false);
	catch_quit_signals();
	/* colours as the view's marks have them: --color, NO_COLOR */
	if (screen_start(ui.v.style.enabled) < 0) {
		cli_error("cannot use the terminal: terminfo does not know "
			  "its TERM");
		cli_exit(EXIT_USAGE);
	}
	cli_before_messages(end_screen);
	atexit(end_screen);
	loop(&ui);
	screen_end();
	cli_before_messages(NULL);
	browse_release(&ui.b);
	free(ui.header);
	free(ui.warning);
	view_release(&ui.v);
	model_release(&ui.m);
}

void interactive_or_print(struct cli_common *o, interactive_build *build,
			  void *ctx)
{
	struct interactive_frame f = { 0 };
	struct model m;
	struct view v;
	size_t width;

	if (o->interactive) {
		interactive_run(o, build, ctx);
		return;
	}
	width = cli_fit_width(o);
	cli_get_model(o, &m);
	if (width)
		view_init_fitted(&v, &m, o->color);
	else
		view_init(&v, &m, o->color);
	/* an error about what the command line named comes alone */
	build(&f, &v, ctx);
	cli_warn_about(&m);
	cli_print_trees(o, f.roots, f.nroots, width);
	free(f.roots);
	free(f.header);
	view_release(&v);
	model_release(&m);
}
