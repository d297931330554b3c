/* SPDX-License-Identifier: Apache-2.0 */
/* pidtree: its view lands with the views issue; the binary exists already. */
#include "cli.h"

int main(void)
{
	cli_init("pidtree");
	cli_error("not implemented yet");
	cli_exit(EXIT_FAILED);
}
