// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel generations: which attributes and behaviours daxsim shows. A
 * scenario runs against one generation, chosen by --kernel, else the
 * scenario's "kernel" key, else DAXSIM_KERNEL in the environment, else
 * 6.1 (the kernel the emulator was first checked against). The facts each
 * flag stands for, and the release that brought it, are in the table of
 * test/daxsim/README.md ("Kernel generations").
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const struct sim_kernel kernels[] = {
	{
		.name = "6.1",
		.memory_tiering = true,
		.iomem_hmem = true,
	},
	{
		.name = "6.12",
		.memory_tiering = true,
		.dev_memmap_on_memory = true,
		.region_kmem = true,
		.mapping_silent = true,
	},
	{
		.name = "newest",
		.memory_tiering = true,
		.dev_memmap_on_memory = true,
		.dev_state = true,
		.region_kmem = true,
		.mapping_silent = true,
	},
};

const struct sim_kernel *kernel_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (strcmp(kernels[i].name, name) == 0)
			return &kernels[i];
	return NULL;
}

/*
 * The generation from the command line wins over the scenario's, which
 * wins over the environment's: a scenario that needs a newer kernel's
 * attributes says so, and a test matrix sets the environment for the rest.
 */
void kernel_select(const char *option, const char *scenario)
{
	const char *env = getenv("DAXSIM_KERNEL");
	const char *name = option ? option :
			   scenario ? scenario :
			   env && *env ? env : "6.1";
	const struct sim_kernel *k = kernel_find(name);

	if (!k)
		model_die("unknown kernel generation \"%s\" (known: 6.1, 6.12, "
			  "newest)", name);
	sim.kernel = *k;
}
