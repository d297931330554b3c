/* SPDX-License-Identifier: Apache-2.0 */
/* lspidns: its view lands with the views issue; the binary exists already. */
#include "cli.h"

int main(void)
{
	cli_init("lspidns");
	cli_error("not implemented yet");
	cli_exit(EXIT_FAILED);
}
