// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The hot-plugged memory of a device bound to kmem. The blocks a device owns
 * are computed from its ranges exactly as kmem adds them (each range shrunk
 * inward to memory-block alignment) and addressed directly as
 * memory<index>: no walk over the node's or the system's blocks, so the cost
 * depends only on the device's own size.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

enum block_state {
	BLOCK_OFFLINE,
	BLOCK_ONLINE,
	BLOCK_GOING_OFFLINE,
};

unsigned long dax_ctx_block_size(struct daxctl_ctx *ctx)
{
	char dir[DAX_PATH_MAX];
	unsigned long long v;
	int rc;

	if (ctx->block_size || ctx->block_size_err)
		return ctx->block_size;
	rc = dax_sys_path(ctx, dir, sizeof(dir), "devices/system/memory");
	if (!rc)
		rc = dax_read_u64(ctx, dir, "block_size_bytes", 16, &v);
	if (!rc && (v == 0 || v > ULONG_MAX))
		rc = -EINVAL;
	if (rc) {
		ctx->block_size_err = rc;
		return 0;
	}
	ctx->block_size = (unsigned long)v;
	return ctx->block_size;
}

static int memory_add_range(struct daxctl_memory *mem, unsigned long long start,
			    unsigned long long end)
{
	unsigned long long bs = mem->block_size;
	unsigned long long first = start / bs + (start % bs ? 1 : 0);
	unsigned long long last_excl = end / bs + ((end % bs) == bs - 1 ? 1 : 0);
	struct dax_block_range *r;

	/* the API counts blocks in an int: a larger device is an error */
	if (last_excl > first &&
	    last_excl - first > (unsigned long long)(INT_MAX - mem->nr_blocks))
		return -ERANGE;
	if (last_excl <= first) {
		dax_dbg(mem->dev->region->ctx,
			"%s: range %#llx-%#llx holds no whole memory block\n",
			mem->dev->devname, start, end);
		return 0;
	}
	r = realloc(mem->ranges, (size_t)(mem->nr_ranges + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	mem->ranges = r;
	r[mem->nr_ranges].first = (unsigned long)first;
	r[mem->nr_ranges].count = (unsigned long)(last_excl - first);
	mem->nr_ranges++;
	mem->nr_blocks += (int)(last_excl - first);
	return 0;
}

static int memory_compute_blocks(struct daxctl_memory *mem)
{
	struct daxctl_dev *dev = mem->dev;
	struct daxctl_mapping *m;
	unsigned long long res;
	int rc;

	if (!mem->block_size)
		return dev->region->ctx->block_size_err ?: -ENXIO;
	rc = dax_dev_scan_mappings(dev);
	if (rc == 0 && !list_empty(&dev->mappings)) {
		daxctl_mapping_foreach(dev, m) {
			rc = memory_add_range(mem, m->start, m->end);
			if (rc)
				return rc;
		}
		return 0;
	}
	/* no ranges visible (old kernel, or not root): one extent */
	res = daxctl_dev_get_resource(dev);
	if (res && dev->size)
		return memory_add_range(mem, res, res + dev->size - 1);
	if (rc == -EACCES || (dev->hidden & DAX_HIDDEN_RESOURCE))
		return -EACCES;
	return -ENXIO;
}

/*
 * Whether kmem can take @dev: it refuses a device without a target node,
 * and one whose ranges hold no whole memory block once shrunk inward to
 * block alignment. The kernel says only EINVAL (and the reason in its
 * log), so the reason is logged here, before anything is changed.
 */
int dax_dev_check_kmem(struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx = dev->region->ctx;
	struct daxctl_memory mem = { .dev = dev };
	int rc;

	if (dev->target_node < 0) {
		dax_err(ctx, "%s: no target NUMA node (the platform gave none): kmem refuses it\n",
			dev->devname);
		return -EINVAL;
	}
	mem.block_size = dax_ctx_block_size(ctx);
	if (!mem.block_size) {
		/* without it no block can be found, onlined or offlined */
		rc = ctx->block_size_err ?: -ENXIO;
		dax_err(ctx, "%s: the memory block size cannot be read (%s): kmem cannot be used here\n",
			dev->devname, strerror(-rc));
		return rc;
	}
	rc = memory_compute_blocks(&mem);
	free(mem.ranges);
	/* unknown (not root, old kernel): let the kernel decide */
	if (rc)
		return 0;
	if (mem.nr_blocks == 0) {
		dax_err(ctx, "%s: no whole memory block (%lu MiB) in its ranges once aligned to block boundaries: kmem would add nothing\n",
			dev->devname, mem.block_size >> 20);
		return -EINVAL;
	}
	return 0;
}

void dax_memory_free(struct daxctl_memory *mem)
{
	free(mem->ranges);
	free(mem->node_path);
	free(mem);
}

DAXCTL_EXPORT struct daxctl_memory *daxctl_dev_get_memory(
		struct daxctl_dev *dev)
{
	struct daxctl_memory *mem;
	struct daxctl_ctx *ctx;
	char path[DAX_PATH_MAX];
	int rc;

	if (!daxctl_dev_is_system_ram_capable(dev))
		return NULL;
	if (dev->memory)
		return dev->memory;
	ctx = dev->region->ctx;
	mem = calloc(1, sizeof(*mem));
	if (!mem)
		return NULL;
	mem->dev = dev;
	mem->block_size = dax_ctx_block_size(ctx);
	if (dax_sys_path(ctx, path, sizeof(path), "devices/system/node/node%d",
			 dev->target_node) ||
	    !(mem->node_path = strdup(path))) {
		dax_memory_free(mem);
		return NULL;
	}
	rc = memory_compute_blocks(mem);
	if (rc) {
		mem->nr_blocks = rc;
		free(mem->ranges);
		mem->ranges = NULL;
		mem->nr_ranges = 0;
	}
	dev->memory = mem;
	return mem;
}

DAXCTL_EXPORT struct daxctl_dev *daxctl_memory_get_dev(
		struct daxctl_memory *mem)
{
	return mem ? mem->dev : NULL;
}

DAXCTL_EXPORT const char *daxctl_memory_get_node_path(
		struct daxctl_memory *mem)
{
	return mem ? mem->node_path : NULL;
}

DAXCTL_EXPORT unsigned long daxctl_memory_get_block_size(
		struct daxctl_memory *mem)
{
	return mem ? mem->block_size : 0;
}

DAXCTL_EXPORT int daxctl_memory_num_sections(struct daxctl_memory *mem)
{
	return mem ? mem->nr_blocks : -EINVAL;
}

static int block_path(struct daxctl_memory *mem, unsigned long idx,
		      const char *attr, char *buf, size_t len)
{
	return dax_sys_path(mem->dev->region->ctx, buf, len,
			    "devices/system/memory/memory%lu/%s", idx, attr);
}

static int block_read(struct daxctl_memory *mem, unsigned long idx,
		      const char *attr, char *buf, size_t len)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = block_path(mem, idx, attr, path, sizeof(path));
	if (rc)
		return rc;
	rc = dax_read_attr(mem->dev->region->ctx, path, buf, len);
	if (rc < 0)
		dax_err(mem->dev->region->ctx, "%s: memory%lu/%s: %s\n",
			mem->dev->devname, idx, attr, strerror(-rc));
	return rc;
}

static int block_state(struct daxctl_memory *mem, unsigned long idx)
{
	char buf[DAX_ATTR_MAX];
	int rc;

	rc = block_read(mem, idx, "state", buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (strcmp(buf, "online") == 0)
		return BLOCK_ONLINE;
	if (strcmp(buf, "offline") == 0)
		return BLOCK_OFFLINE;
	if (strcmp(buf, "going-offline") == 0)
		return BLOCK_GOING_OFFLINE;
	dax_err(mem->dev->region->ctx, "%s: memory%lu: unknown state '%s'\n",
		mem->dev->devname, idx, buf);
	return -EINVAL;
}

/*
 * The device-level memory state, DEV/state, of kernels newer than 6.12
 * (Documentation/daxctl/memory-state.adoc): the state
 * of all the device's blocks, written once for all of them. Its values,
 * in the kernel's spelling; onlining is accepted only from "unplugged"
 * (no blocks added), and "offline" (blocks added, not all online) cannot
 * be written.
 */
enum dev_state {
	DEV_UNPLUGGED,
	DEV_OFFLINE,
	DEV_ONLINE,
	DEV_ONLINE_KERNEL,
	DEV_ONLINE_MOVABLE,
};

static const char *const dev_state_names[] = {
	[DEV_UNPLUGGED] = "unplugged",
	[DEV_OFFLINE] = "offline",
	[DEV_ONLINE] = "online",
	[DEV_ONLINE_KERNEL] = "online_kernel",
	[DEV_ONLINE_MOVABLE] = "online_movable",
};

/*
 * Read DEV/state into mem->state: an enum dev_state, -ENOENT when the
 * kernel has no such attribute (remembered: asked once per device), -EINVAL
 * for a value this library does not know, another -errno when unreadable.
 */
static int dev_state_read(struct daxctl_memory *mem)
{
	char path[DAX_PATH_MAX];
	size_t i;
	int rc;

	mem->state[0] = '\0';
	if (mem->dev_state < 0)
		return -ENOENT;
	rc = dax_attr_path(path, sizeof(path), mem->dev->path, "state");
	if (!rc)
		rc = dax_read_attr(mem->dev->region->ctx, path, mem->state,
				   sizeof(mem->state));
	if (rc == -ENOENT)
		mem->dev_state = -1;
	if (rc < 0) {
		mem->state[0] = '\0';
		return rc;
	}
	mem->dev_state = 1;
	for (i = 0; i < sizeof(dev_state_names) / sizeof(dev_state_names[0]);
	     i++)
		if (strcmp(mem->state, dev_state_names[i]) == 0)
			return (int)i;
	dax_dbg(mem->dev->region->ctx, "%s: unknown memory state '%s'\n",
		mem->dev->devname, mem->state);
	return -EINVAL;
}

static int dev_state_write(struct daxctl_memory *mem, enum dev_state state)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = dax_attr_path(path, sizeof(path), mem->dev->path, "state");
	if (rc)
		return rc;
	return dax_write_attr(mem->dev->region->ctx, path,
			      dev_state_names[state]);
}

/*
 * Call @fn for every owned block, stopping at the first negative return,
 * which is passed on. Returns the sum of the non-negative returns.
 */
static int memory_for_each_block(struct daxctl_memory *mem,
				 int (*fn)(struct daxctl_memory *mem,
					   unsigned long idx, void *arg),
				 void *arg)
{
	int i, rc, sum = 0;
	unsigned long b;

	if (!mem)
		return -EINVAL;
	if (mem->nr_blocks < 0)
		return mem->nr_blocks;
	for (i = 0; i < mem->nr_ranges; i++) {
		for (b = 0; b < mem->ranges[i].count; b++) {
			rc = fn(mem, mem->ranges[i].first + b, arg);
			if (rc < 0)
				return rc;
			sum += rc;
		}
	}
	return sum;
}

static int count_online(struct daxctl_memory *mem, unsigned long idx,
			void *arg)
{
	int state = block_state(mem, idx);

	if (state < 0)
		return state;
	return state == BLOCK_ONLINE;
}

/*
 * Where the device-level state says it (no blocks, or all online in one
 * zone), no block needs to be read; otherwise, or without DEV/state, the
 * blocks are asked one by one. Returns the answer of @what (0: online
 * count, 1: movable), or INT_MIN when the blocks must be asked.
 */
static int dev_state_answer(struct daxctl_memory *mem, int what)
{
	if (!mem || mem->nr_blocks < 0)
		return INT_MIN;
	switch (dev_state_read(mem)) {
	case DEV_UNPLUGGED:
		return what ? -ENXIO : 0;
	case DEV_ONLINE_KERNEL:
		return what ? 0 : mem->nr_blocks;
	case DEV_ONLINE_MOVABLE:
		return what ? 1 : mem->nr_blocks;
	default:
		return INT_MIN;
	}
}

DAXCTL_EXPORT int daxctl_memory_is_online(struct daxctl_memory *mem)
{
	int rc = dev_state_answer(mem, 0);

	if (rc != INT_MIN)
		return rc;
	return memory_for_each_block(mem, count_online, NULL);
}

/* 1 for a Movable block, 0 for another zone, -ENXIO when offline. */
static int check_movable(struct daxctl_memory *mem, unsigned long idx,
			 void *arg)
{
	int *not_movable = arg, state;
	char zone[DAX_ATTR_MAX];

	state = block_state(mem, idx);
	if (state < 0)
		return state;
	if (state != BLOCK_ONLINE)
		return -ENXIO;
	state = block_read(mem, idx, "valid_zones", zone, sizeof(zone));
	if (state < 0)
		return state;
	if (strcmp(zone, "Movable") != 0)
		(*not_movable)++;
	return 0;
}

DAXCTL_EXPORT int daxctl_memory_is_movable(struct daxctl_memory *mem)
{
	int not_movable = 0, rc;

	rc = dev_state_answer(mem, 1);
	if (rc != INT_MIN)
		return rc;
	rc = memory_for_each_block(mem, check_movable, &not_movable);
	if (rc < 0)
		return rc;
	return not_movable == 0;
}

/*
 * The blocks one online or offline call changed, with the zone each was
 * in, so that a failure part-way can put them back: these calls are all
 * or nothing.
 */
struct block_journal {
	struct {
		unsigned long idx;
		bool movable;
	} *e;
	int n, alloc;
};

static int journal_add(struct block_journal *j, unsigned long idx,
		       bool movable)
{
	if (j->n == j->alloc) {
		int alloc = j->alloc ? j->alloc * 2 : 64;
		void *e = realloc(j->e, (size_t)alloc * sizeof(*j->e));

		if (!e)
			return -ENOMEM;
		j->e = e;
		j->alloc = alloc;
	}
	j->e[j->n].idx = idx;
	j->e[j->n].movable = movable;
	j->n++;
	return 0;
}

static int block_write_state(struct daxctl_memory *mem, unsigned long idx,
			     const char *state)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = block_path(mem, idx, "state", path, sizeof(path));
	if (rc)
		return rc;
	return dax_write_attr(mem->dev->region->ctx, path, state);
}

/*
 * Put the journaled blocks back, newest first: online again into the zone
 * each was in when @was_online, else offline again. A block that refuses
 * is logged at LOG_CRIT: the device is then neither as it was nor as
 * requested.
 */
static void journal_undo(struct daxctl_memory *mem, struct block_journal *j,
			 bool was_online)
{
	struct daxctl_ctx *ctx = mem->dev->region->ctx;
	const char *state;
	int i, rc;

	for (i = j->n - 1; i >= 0; i--) {
		state = !was_online ? "offline" :
			j->e[i].movable ? "online_movable" : "online_kernel";
		rc = block_write_state(mem, j->e[i].idx, state);
		if (rc && block_state(mem, j->e[i].idx) !=
				  (was_online ? BLOCK_ONLINE : BLOCK_OFFLINE))
			dax_crit(ctx, "%s: memory%lu stays %s: %s it again failed: %s\n",
				 mem->dev->devname, j->e[i].idx,
				 was_online ? "offline" : "online",
				 was_online ? "onlining" : "offlining",
				 strerror(-rc));
	}
	if (j->n && was_online)
		dax_info(ctx, "%s: onlined again the %d block%s offlined before the failure\n",
			 mem->dev->devname, j->n, j->n == 1 ? "" : "s");
	else if (j->n)
		dax_info(ctx, "%s: offlined the %d block%s onlined before the failure\n",
			 mem->dev->devname, j->n, j->n == 1 ? "" : "s");
}

/*
 * A dry run cannot learn the state from a refused write: read it. Blocks
 * that do not exist yet (the device is only planned to be kmem) would be
 * added offline.
 */
static int block_state_dry_run(struct daxctl_memory *mem, unsigned long idx)
{
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];

	if (block_path(mem, idx, "state", path, sizeof(path)) ||
	    dax_read_attr(mem->dev->region->ctx, path, buf, sizeof(buf)) < 0)
		return BLOCK_OFFLINE;
	return strcmp(buf, "offline") == 0 ? BLOCK_OFFLINE : BLOCK_ONLINE;
}

struct online_args {
	const char *state;	/* what to write */
	bool movable;		/* whether it must land in ZONE_MOVABLE */
	struct block_journal journal;
};

/*
 * Write first, ask later: writing the state a block already has fails
 * with EINVAL, so the state is read only then. An offline block costs one
 * write and one zone read.
 */
static int online_block(struct daxctl_memory *mem, unsigned long idx,
			void *arg)
{
	struct daxctl_ctx *ctx = mem->dev->region->ctx;
	struct online_args *args = arg;
	char zone[DAX_ATTR_MAX];
	int state, rc;

	if (ctx->dry_run) {
		if (block_state_dry_run(mem, idx) == BLOCK_ONLINE)
			return 0;
		block_write_state(mem, idx, args->state);
		return 1;
	}
	rc = block_write_state(mem, idx, args->state);
	if (rc) {
		/* online already, or another agent onlined it first */
		state = block_state(mem, idx);
		if (state == BLOCK_ONLINE)
			return 0;
		dax_err(ctx, "%s: failed to online memory%lu: %s\n",
			mem->dev->devname, idx, strerror(-rc));
		return rc;
	}
	rc = journal_add(&args->journal, idx, args->movable);
	if (rc)
		return rc;
	rc = block_read(mem, idx, "valid_zones", zone, sizeof(zone));
	if (rc < 0)
		return rc;
	/*
	 * The kernel zone is Normal, or DMA32/DMA for low memory: anything
	 * but Movable satisfies online_kernel.
	 */
	if ((strcmp(zone, "Movable") == 0) != args->movable) {
		dax_err(ctx, "%s: memory%lu onlined in zone %s, not %s\n",
			mem->dev->devname, idx, zone,
			args->movable ? "Movable" : "a kernel zone");
		return -EBUSY;
	}
	return 1;
}

/* Online again, into @zone_state, every block of the device now offline. */
static int reonline_block(struct daxctl_memory *mem, unsigned long idx,
			  void *arg)
{
	int state = block_state(mem, idx);

	if (state == BLOCK_ONLINE)
		return 0;
	return block_write_state(mem, idx, arg);
}

/*
 * Put the device back in @was after a failed device-level write, and say
 * so; LOG_CRIT when that fails too: the device is then neither as it was
 * nor as requested. From "unplugged", any state is one write away; a
 * device left partly offline ("offline") by a failed unplug cannot be
 * onlined at device level, so its offline blocks go back one by one.
 */
static void dev_state_undo(struct daxctl_memory *mem, enum dev_state was)
{
	struct daxctl_ctx *ctx = mem->dev->region->ctx;
	int st, rc = 0;

	st = dev_state_read(mem);
	if (st == (int)was)
		return;
	if (was == DEV_UNPLUGGED || st == DEV_UNPLUGGED)
		rc = dev_state_write(mem, was);
	else if (st == DEV_OFFLINE)
		rc = memory_for_each_block(mem, reonline_block,
					   (void *)dev_state_names[was]);
	st = dev_state_read(mem);
	if (st == (int)was) {
		dax_info(ctx, "%s: memory put back to %s after the failure\n",
			 mem->dev->devname, dev_state_names[was]);
		return;
	}
	dax_crit(ctx, "%s: memory left %s: putting it back to %s failed: %s\n",
		 mem->dev->devname, st >= 0 || st == -EINVAL ? mem->state :
		 "in an unknown state", dev_state_names[was],
		 strerror(rc < 0 ? -rc : st < 0 ? -st : EBUSY));
}

/*
 * Write @to to DEV/state and check by reading it back that the device got
 * there; on failure put it back to @from (read before). Returns 0 or the
 * -errno of the write (-EBUSY when it succeeded but the device is
 * elsewhere).
 */
static int dev_state_change(struct daxctl_memory *mem, enum dev_state from,
			    enum dev_state to)
{
	struct daxctl_ctx *ctx = mem->dev->region->ctx;
	int rc, st;

	rc = dev_state_write(mem, to);
	if (ctx->dry_run)
		return rc;
	if (rc) {
		dax_err(ctx, "%s: failed to change its memory from %s to %s: %s\n",
			mem->dev->devname, dev_state_names[from],
			dev_state_names[to], strerror(-rc));
	} else {
		st = dev_state_read(mem);
		if (st == (int)to)
			return 0;
		rc = st < 0 && st != -EINVAL ? st : -EBUSY;
		dax_err(ctx, "%s: memory is %s, not %s, after writing it\n",
			mem->dev->devname, mem->state[0] ? mem->state :
			"unreadable", dev_state_names[to]);
	}
	dev_state_undo(mem, from);
	return rc;
}

/*
 * Online through DEV/state where that is one write the library can take
 * back: from "unplugged". Sets *handled when it answered; otherwise
 * (no DEV/state, blocks already added, some online) the blocks are onlined
 * one by one as on kernels without it.
 */
static int dev_state_online(struct daxctl_memory *mem, bool movable,
			    bool *handled)
{
	enum dev_state want = movable ? DEV_ONLINE_MOVABLE : DEV_ONLINE_KERNEL;
	int st, rc;

	*handled = false;
	if (mem->nr_blocks < 0)
		return 0;
	st = dev_state_read(mem);
	if (st == (int)want) {
		*handled = true;
		return 0;
	}
	if (st != DEV_UNPLUGGED)
		return 0;
	*handled = true;
	rc = dev_state_change(mem, DEV_UNPLUGGED, want);
	return rc ? rc : mem->nr_blocks;
}

/*
 * Offline through DEV/state: "unplugged" (offline and removed) from all
 * online in one zone, to which a failure can return. Other states go
 * block by block, as without DEV/state.
 */
static int dev_state_offline(struct daxctl_memory *mem, bool *handled)
{
	int st, rc;

	*handled = false;
	if (mem->nr_blocks < 0)
		return 0;
	st = dev_state_read(mem);
	if (st == DEV_UNPLUGGED) {
		*handled = true;
		return 0;
	}
	if (st == DEV_OFFLINE &&
	    memory_for_each_block(mem, count_online, NULL) == 0) {
		/*
		 * Blocks added, none online (kmem bound again by an undo, or
		 * with auto-online off): removing them loses nothing, and
		 * leaves the device as offline-memory leaves an online one,
		 * so an undo that rebinds kmem ends where the device was.
		 */
		*handled = true;
		rc = dev_state_write(mem, DEV_UNPLUGGED);
		if (!rc && !mem->dev->region->ctx->dry_run &&
		    dev_state_read(mem) != DEV_UNPLUGGED)
			rc = -EBUSY;
		return rc;
	}
	if (st != DEV_ONLINE_KERNEL && st != DEV_ONLINE_MOVABLE)
		return 0;
	*handled = true;
	rc = dev_state_change(mem, st, DEV_UNPLUGGED);
	return rc ? rc : mem->nr_blocks;
}

static int memory_online(struct daxctl_memory *mem, const char *state,
			 bool movable)
{
	struct online_args args = { state, movable, { NULL, 0, 0 } };
	bool handled;
	int rc;

	if (!mem)
		return -EINVAL;
	rc = dev_state_online(mem, movable, &handled);
	if (handled)
		return rc;
	rc = memory_for_each_block(mem, online_block, &args);
	if (rc < 0)
		journal_undo(mem, &args.journal, false);
	free(args.journal.e);
	return rc;
}

DAXCTL_EXPORT int daxctl_memory_online(struct daxctl_memory *mem)
{
	return memory_online(mem, "online_movable", true);
}

DAXCTL_EXPORT int daxctl_memory_online_no_movable(struct daxctl_memory *mem)
{
	return memory_online(mem, "online_kernel", false);
}

/*
 * The zone is read first (an online block shows exactly one) so that a
 * failure later can put the block back where it was; then the write,
 * whose EINVAL means "offline already" or, with removable 0, a kernel
 * without memory hot-remove.
 */
static int offline_block(struct daxctl_memory *mem, unsigned long idx,
			 void *arg)
{
	struct daxctl_ctx *ctx = mem->dev->region->ctx;
	struct block_journal *j = arg;
	char zone[DAX_ATTR_MAX], buf[DAX_ATTR_MAX];
	int state, rc;

	if (ctx->dry_run) {
		if (block_state_dry_run(mem, idx) == BLOCK_OFFLINE)
			return 0;
		block_write_state(mem, idx, "offline");
		return 1;
	}
	rc = block_read(mem, idx, "valid_zones", zone, sizeof(zone));
	if (rc < 0)
		return rc;
	rc = block_write_state(mem, idx, "offline");
	if (rc) {
		state = block_state(mem, idx);
		if (state == BLOCK_OFFLINE)
			return 0;
		if (block_read(mem, idx, "removable", buf, sizeof(buf)) >= 0 &&
		    strcmp(buf, "0") == 0) {
			dax_err(ctx, "%s: memory%lu is unremovable (the kernel cannot hot-remove memory)\n",
				mem->dev->devname, idx);
			return -EOPNOTSUPP;
		}
		dax_err(ctx, "%s: failed to offline memory%lu: %s\n",
			mem->dev->devname, idx, strerror(-rc));
		return rc;
	}
	rc = journal_add(j, idx, strcmp(zone, "Movable") == 0);
	return rc ? rc : 1;
}

DAXCTL_EXPORT int daxctl_memory_offline(struct daxctl_memory *mem)
{
	struct block_journal j = { NULL, 0, 0 };
	bool handled;
	int rc;

	if (!mem)
		return -EINVAL;
	rc = dev_state_offline(mem, &handled);
	if (handled)
		return rc;
	rc = memory_for_each_block(mem, offline_block, &j);
	if (rc < 0)
		journal_undo(mem, &j, true);
	free(j.e);
	return rc;
}

DAXCTL_EXPORT const char *daxctl_memory_get_state(struct daxctl_memory *mem)
{
	int rc;

	if (!mem) {
		errno = EINVAL;
		return NULL;
	}
	rc = dev_state_read(mem);
	/* a value newer than this library is still the kernel's answer */
	if (rc < 0 && !(rc == -EINVAL && mem->state[0])) {
		errno = -rc;
		return NULL;
	}
	return mem->state;
}

DAXCTL_EXPORT int daxctl_dev_has_online_memory(struct daxctl_dev *dev)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	int rc;

	if (!mem)
		return 0;
	rc = daxctl_memory_is_online(mem);
	return rc < 0 ? 0 : rc;
}

DAXCTL_EXPORT int daxctl_dev_will_auto_online_memory(struct daxctl_dev *dev)
{
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	struct daxctl_ctx *ctx;

	if (!dev)
		return 0;
	ctx = dev->region->ctx;
	if (dax_sys_path(ctx, path, sizeof(path),
			 "devices/system/memory/auto_online_blocks") ||
	    dax_read_attr(ctx, path, buf, sizeof(buf)) < 0)
		return 0;
	return strncmp(buf, "online", strlen("online")) == 0;
}
