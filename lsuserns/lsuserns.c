/* SPDX-License-Identifier: Apache-2.0 */
/* lsuserns: its view lands with the views issue; the binary exists already. */
#include "cli.h"

int main(void)
{
	cli_init("lsuserns");
	cli_error("not implemented yet");
	cli_exit(EXIT_FAILED);
}
