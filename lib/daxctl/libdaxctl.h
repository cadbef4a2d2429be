/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdaxctl: enumerate and manage Linux device-dax regions and devices.
 *
 * Object model: one context (struct daxctl_ctx) owns every region, device,
 * mapping and memory object it finds. Those objects, and every string a
 * getter returns, stay valid until the last daxctl_unref() of the context
 * (or, for a region and its children, the last daxctl_region_unref()).
 * Callers never free them. A context is not thread-safe: use it from one
 * thread at a time, or serialise the calls.
 *
 * Errors: functions returning int return 0 (or a count) on success and a
 * negative errno on failure, unless documented otherwise. Mutators return
 * the errno the kernel gave (for example -EBUSY for a bound device,
 * -ENOSPC when a region is full), and refresh the objects they changed.
 *
 * Paths: the library reads /sys and /proc below a system root, "/" unless
 * daxctl_set_sysroot() or, as the default of a new context, the
 * environment variable DAXCTL_SYSROOT names another directory (a captured
 * sysfs tree or an emulator; meant for testing and inspection, the
 * variable is refused in setuid programs: daxctl_new() fails with -EPERM).
 * Paths returned by the library include that root.
 *
 * uuid_t: define HAVE_UUID (and include <uuid/uuid.h>) before including
 * this header to use libuuid's type; otherwise the header declares a
 * compatible uuid_t itself, which a later #include <uuid/uuid.h> repeats:
 * fine for C11 and C++, an error for stricter (C99 -pedantic-errors) or
 * older compilers.
 *
 * "Since:" names the symbol version node that introduced a function.
 */
#ifndef _LIBDAXCTL_H_
#define _LIBDAXCTL_H_

#include <stdarg.h>
#include <unistd.h>

#ifdef HAVE_UUID
#include <uuid/uuid.h>
#else
typedef unsigned char uuid_t[16];
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct daxctl_ctx;
struct daxctl_region;
struct daxctl_dev;
struct daxctl_mapping;
struct daxctl_memory;

/* ---- Context ---- */

/**
 * daxctl_new() - create a library context
 * @ctx: set to the new context on success, untouched on failure
 *
 * The context starts with one reference, log priority LOG_ERR (or the
 * level named by the DAXCTL_LOG environment variable: a number, or a word
 * starting with err, notice, info or debug; anything else silences the
 * library) and the system's configuration directory. Nothing is read from
 * sysfs until a region is asked for.
 *
 * Returns: 0, -EINVAL for a NULL @ctx, -ENOMEM; -EPERM when
 * DAXCTL_SYSROOT names a root other than "/" in a setuid or setgid
 * program (logged). Since: LIBDAXCTL_1
 */
int daxctl_new(struct daxctl_ctx **ctx);

/**
 * daxctl_ref() - take a reference on a context
 *
 * Returns: @ctx (NULL passes through). Since: LIBDAXCTL_1
 */
struct daxctl_ctx *daxctl_ref(struct daxctl_ctx *ctx);

/**
 * daxctl_unref() - drop a reference on a context
 *
 * At zero every object of the context is freed. NULL is allowed.
 * Since: LIBDAXCTL_1
 */
void daxctl_unref(struct daxctl_ctx *ctx);

/**
 * daxctl_set_log_fn() - replace the log sink
 *
 * The default sink writes "libdaxctl: <message>" to stderr; messages at
 * debug priority also name the library function: "libdaxctl: <function>:
 * <message>".
 * Messages above the context's log priority are filtered out before the
 * function is called. A NULL @ctx or @log_fn is ignored.
 * Since: LIBDAXCTL_1
 */
void daxctl_set_log_fn(struct daxctl_ctx *ctx,
		       void (*log_fn)(struct daxctl_ctx *ctx, int priority,
				      const char *file, int line,
				      const char *fn, const char *format,
				      va_list args));

/**
 * daxctl_get_log_priority() - the context's log level
 *
 * Returns: a syslog level, LOG_ERR (3) .. LOG_DEBUG (7); 0 for NULL.
 * Since: LIBDAXCTL_1
 */
int daxctl_get_log_priority(struct daxctl_ctx *ctx);

/**
 * daxctl_set_log_priority() - emit messages with priority <= @priority
 * Since: LIBDAXCTL_1
 */
void daxctl_set_log_priority(struct daxctl_ctx *ctx, int priority);

/**
 * daxctl_set_userdata() - attach an opaque caller pointer to the context
 * Since: LIBDAXCTL_1
 */
void daxctl_set_userdata(struct daxctl_ctx *ctx, void *userdata);

/**
 * daxctl_get_userdata() - the pointer set by daxctl_set_userdata()
 *
 * Returns: the pointer, or NULL. Since: LIBDAXCTL_1
 */
void *daxctl_get_userdata(struct daxctl_ctx *ctx);

/* ---- Configuration ---- */

/**
 * daxctl_set_config_path() - directory of the persistent configuration
 *
 * The string is copied: the caller may free it afterwards.
 *
 * Returns: 0, -EINVAL for NULL, -ENOMEM. Since: LIBDAXCTL_9
 */
int daxctl_set_config_path(struct daxctl_ctx *ctx, char *config_path);

/**
 * daxctl_get_config_path() - the configuration directory in use
 *
 * Returns: a string owned by the context, or NULL. Since: LIBDAXCTL_9
 */
const char *daxctl_get_config_path(struct daxctl_ctx *ctx);

/* ---- Regions ---- */

/**
 * daxctl_new_region() - find or add the region whose parent device is @path
 * @id: region id to report
 * @uuid: identity copied into the region (may be NULL)
 * @path: absolute sysfs path of the region's parent device
 *
 * For embedders (libndctl, libcxl). Each call takes a reference the
 * caller drops with daxctl_region_unref(); two callers naming the same
 * path share one region.
 *
 * Returns: the region, or NULL (bad arguments, no memory).
 * Since: LIBDAXCTL_2
 */
struct daxctl_region *daxctl_new_region(struct daxctl_ctx *ctx, int id,
					uuid_t uuid, const char *path);

/**
 * daxctl_region_ref() - take a reference on a region
 * Since: LIBDAXCTL_2
 */
void daxctl_region_ref(struct daxctl_region *region);

/**
 * daxctl_region_unref() - drop a reference on a region
 *
 * At zero the region, its devices and their mappings are freed and the
 * region leaves its context. NULL is allowed. Since: LIBDAXCTL_2
 */
void daxctl_region_unref(struct daxctl_region *region);

/**
 * daxctl_region_get_first() - first region of the context
 *
 * The first call scans sysfs. Regions come in ascending id order (ties by
 * path).
 *
 * Returns: the region, or NULL when there is none. Since: LIBDAXCTL_4
 */
struct daxctl_region *daxctl_region_get_first(struct daxctl_ctx *ctx);

/**
 * daxctl_region_get_next() - the region after @region
 *
 * Returns: the region, or NULL at the end. Since: LIBDAXCTL_4
 */
struct daxctl_region *daxctl_region_get_next(struct daxctl_region *region);

/**
 * daxctl_region_get_uuid() - copy the region's uuid into @uu
 *
 * The uuid given to daxctl_new_region(). For a region found by
 * enumeration, the uuid of its NVDIMM namespace (the nd_dax parent's
 * uuid attribute), read on the first call; all zeros for every other
 * kind of region. ndctl's libdaxctl leaves an enumerated region's uuid
 * all zeros.
 * Since: LIBDAXCTL_2
 */
void daxctl_region_get_uuid(struct daxctl_region *region, uuid_t uu);

/**
 * daxctl_region_get_id() - the region id
 *
 * Not unique: several NVDIMM dax regions may share one id; tell them apart
 * by daxctl_region_get_path().
 *
 * Returns: the id, -1 for NULL. Since: LIBDAXCTL_2
 */
int daxctl_region_get_id(struct daxctl_region *region);

/**
 * daxctl_region_get_ctx() - the context owning @region
 * Since: LIBDAXCTL_2
 */
struct daxctl_ctx *daxctl_region_get_ctx(struct daxctl_region *region);

/**
 * daxctl_region_get_available_size() - bytes not yet assigned to a device
 *
 * Read from sysfs at every call.
 *
 * Returns: the size; 0 on error and for static regions. Since: LIBDAXCTL_3
 */
unsigned long long daxctl_region_get_available_size(
		struct daxctl_region *region);

/**
 * daxctl_region_get_size() - region size in bytes
 *
 * Returns: the size, or ULLONG_MAX when unknown. Since: LIBDAXCTL_4
 */
unsigned long long daxctl_region_get_size(struct daxctl_region *region);

/**
 * daxctl_region_get_align() - region default alignment in bytes
 *
 * Returns: the alignment, or ULONG_MAX when unknown; errno is then EACCES
 * when the attribute exists but is readable by root only.
 * Since: LIBDAXCTL_4
 */
unsigned long daxctl_region_get_align(struct daxctl_region *region);

/**
 * daxctl_region_get_devname() - basename of the region's parent device
 *
 * e.g. "hmem.0", "dax0.1", "dax_region0".
 *
 * Returns: a string owned by the region. Since: LIBDAXCTL_3
 */
const char *daxctl_region_get_devname(struct daxctl_region *region);

/**
 * daxctl_region_get_path() - sysfs path of the region's parent device
 *
 * e.g. "/sys/devices/platform/hmem.0" (below the system root, see top).
 *
 * Returns: a string owned by the region. Since: LIBDAXCTL_5
 */
const char *daxctl_region_get_path(struct daxctl_region *region);

/**
 * daxctl_region_get_dev_seed() - the region's seed device
 *
 * Returns: the 0-size device named by the region's seed attribute, or NULL
 * (static region, no seed). Since: LIBDAXCTL_3
 */
struct daxctl_dev *daxctl_region_get_dev_seed(struct daxctl_region *region);

/**
 * daxctl_region_create_dev() - ask the kernel for a new 0-size device
 *
 * The new device is in the region's device list at once (it is the seed
 * if the region had none).
 *
 * Returns: 0, or the kernel's -errno (-ENOSPC: no space left).
 * Since: LIBDAXCTL_8
 */
int daxctl_region_create_dev(struct daxctl_region *region);

/**
 * daxctl_region_destroy_dev() - delete an unbound 0-size device
 *
 * The device object stays valid (and in the list), describing an empty
 * device, so that callers iterating over the list are not disturbed.
 *
 * Returns: 0, -EINVAL for bad arguments, or the kernel's -errno (-EBUSY:
 * bound, sized, or id 0; -ENXIO: no such device). Since: LIBDAXCTL_8
 */
int daxctl_region_destroy_dev(struct daxctl_region *region,
			      struct daxctl_dev *dev);

/* ---- Devices ---- */

/**
 * daxctl_dev_get_first() - first device of @region
 *
 * The first call scans the region. Devices come in ascending id order.
 *
 * Returns: the device, or NULL. Since: LIBDAXCTL_2
 */
struct daxctl_dev *daxctl_dev_get_first(struct daxctl_region *region);

/**
 * daxctl_dev_get_next() - the device after @dev
 *
 * Returns: the device, or NULL at the end. Since: LIBDAXCTL_2
 */
struct daxctl_dev *daxctl_dev_get_next(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_region() - the device's region
 * Since: LIBDAXCTL_2
 */
struct daxctl_region *daxctl_dev_get_region(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_ctx() - the context owning @dev
 * Since: LIBDAXCTL_6
 */
struct daxctl_ctx *daxctl_dev_get_ctx(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_id() - Y of "daxX.Y"
 *
 * Returns: the id, -1 for NULL. Since: LIBDAXCTL_2
 */
int daxctl_dev_get_id(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_devname() - "daxX.Y"
 *
 * Returns: a string owned by the device. Since: LIBDAXCTL_2
 */
const char *daxctl_dev_get_devname(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_major() - major number of the character device
 *
 * Read from the device's sysfs "dev" attribute: no /dev node is needed.
 *
 * Returns: the number, -1 for NULL. Since: LIBDAXCTL_2
 */
int daxctl_dev_get_major(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_minor() - minor number of the character device
 *
 * Returns: the number, -1 for NULL. Since: LIBDAXCTL_2
 */
int daxctl_dev_get_minor(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_size() - size in bytes
 *
 * Returns: the size; 0 for an idle device (and NULL). Since: LIBDAXCTL_2
 */
unsigned long long daxctl_dev_get_size(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_resource() - physical start of the device's first range
 *
 * Returns: the address, or 0 when unknown (the attribute is readable by
 * root only). Since: LIBDAXCTL_6
 */
unsigned long long daxctl_dev_get_resource(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_target_node() - NUMA node the memory joins as system RAM
 *
 * Returns: the node, or -1 when the platform gave none. Since: LIBDAXCTL_6
 */
int daxctl_dev_get_target_node(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_align() - device alignment in bytes
 *
 * Returns: the alignment, 0 when unknown (kernels before 5.10).
 * Since: LIBDAXCTL_8
 */
unsigned long daxctl_dev_get_align(struct daxctl_dev *dev);

/**
 * daxctl_dev_is_enabled() - whether a driver is bound
 *
 * Read live. Always 1 for devices of the legacy dax class model.
 *
 * Returns: 1 or 0. Since: LIBDAXCTL_6
 */
int daxctl_dev_is_enabled(struct daxctl_dev *dev);

/**
 * daxctl_dev_is_system_ram_capable() - whether the device is system-ram now
 *
 * Returns: 1 iff the device is on the dax bus and bound to the kmem
 * driver, else 0. Since: LIBDAXCTL_10
 */
int daxctl_dev_is_system_ram_capable(struct daxctl_dev *dev);

/**
 * daxctl_dev_disable() - unbind the device from its driver
 *
 * Also removes the device from the driver's id list, so that a later
 * re-probe does not bind it again. A device bound to kmem is refused while
 * any of its memory blocks is online: unbinding kmem then would leave the
 * range reserved until the next reboot.
 *
 * Returns: 0 (also when already disabled), the kernel's -errno when the
 * unbind was refused, -EBUSY (still bound without one, or kmem with online
 * memory), -EOPNOTSUPP (class model), -EINVAL.
 * Since: LIBDAXCTL_6
 */
int daxctl_dev_disable(struct daxctl_dev *dev);

/**
 * daxctl_dev_enable_devdax() - bind the device to device_dax
 *
 * Returns: 0 (also when already bound to any driver; the driver holding it
 * is logged at info level), -EOPNOTSUPP (class model), -ENODEV (driver
 * not loaded), or the kernel's -errno; -ENXIO when the device is not bound
 * afterwards. Since: LIBDAXCTL_6
 */
int daxctl_dev_enable_devdax(struct daxctl_dev *dev);

/**
 * daxctl_dev_enable_ram() - bind the device to kmem (hot-plug its memory)
 *
 * Does not online the memory: see daxctl_memory_online().
 *
 * Returns: as daxctl_dev_enable_devdax(); the kernel refuses with -EINVAL
 * a device without a target node or smaller than a memory block after
 * alignment. Since: LIBDAXCTL_6
 */
int daxctl_dev_enable_ram(struct daxctl_dev *dev);

/**
 * daxctl_dev_set_size() - resize a disabled device of a dynamic region
 *
 * Returns: 0, or the kernel's -errno (-EINVAL misaligned, -EBUSY bound,
 * -ENOSPC no room, -EACCES static region). Since: LIBDAXCTL_8
 */
int daxctl_dev_set_size(struct daxctl_dev *dev, unsigned long long size);

/**
 * daxctl_dev_set_align() - change a disabled device's alignment
 *
 * Returns: 0, or the kernel's -errno (-EINVAL unsupported value or ranges
 * not aligned to it, -EBUSY bound). Since: LIBDAXCTL_8
 */
int daxctl_dev_set_align(struct daxctl_dev *dev, unsigned long align);

/**
 * daxctl_dev_set_mapping() - append the physical range [@start, @end]
 *
 * @end is inclusive. Used to recreate a saved layout; only for unbound
 * devices.
 *
 * Returns: 0, or the kernel's -errno (-ENXIO misaligned length, -ENOMEM
 * range not free). Since: LIBDAXCTL_8
 */
int daxctl_dev_set_mapping(struct daxctl_dev *dev, unsigned long long start,
			   unsigned long long end);

/**
 * daxctl_dev_will_auto_online_memory() - the kernel's auto-online policy
 *
 * Returns: 1 if hot-added memory would be onlined by the kernel, else 0.
 * Since: LIBDAXCTL_9
 */
int daxctl_dev_will_auto_online_memory(struct daxctl_dev *dev);

/**
 * daxctl_dev_has_online_memory() - online memory blocks of the device
 *
 * Returns: the number of online blocks the device owns; 0 unless it is
 * system-ram, or when unknown. Since: LIBDAXCTL_9
 */
int daxctl_dev_has_online_memory(struct daxctl_dev *dev);

/* ---- Mappings ---- */

/**
 * daxctl_mapping_get_first() - first physical range of the device
 *
 * Ranges come in ascending page_offset order.
 *
 * Returns: the range; NULL for devices without ranges, and NULL with errno
 * EACCES when the ranges are readable by root only and the caller is not
 * root. Since: LIBDAXCTL_8
 */
struct daxctl_mapping *daxctl_mapping_get_first(struct daxctl_dev *dev);

/**
 * daxctl_mapping_get_next() - the range after @mapping
 *
 * Returns: the range, or NULL at the end. Since: LIBDAXCTL_8
 */
struct daxctl_mapping *daxctl_mapping_get_next(struct daxctl_mapping *mapping);

/**
 * daxctl_mapping_get_start() - physical start address
 * Since: LIBDAXCTL_8
 */
unsigned long long daxctl_mapping_get_start(struct daxctl_mapping *mapping);

/**
 * daxctl_mapping_get_end() - physical end address, inclusive
 * Since: LIBDAXCTL_8
 */
unsigned long long daxctl_mapping_get_end(struct daxctl_mapping *mapping);

/**
 * daxctl_mapping_get_offset() - offset of the range in the device, in pages
 * Since: LIBDAXCTL_8
 */
unsigned long long daxctl_mapping_get_offset(struct daxctl_mapping *mapping);

/**
 * daxctl_mapping_get_size() - size of the range: end - start + 1
 * Since: LIBDAXCTL_8
 */
unsigned long long daxctl_mapping_get_size(struct daxctl_mapping *mapping);

/* ---- Memory of system-ram devices ---- */

/**
 * daxctl_dev_get_memory() - the hot-plugged memory of a kmem device
 *
 * Owned by the device; replaced when the device is reconfigured.
 *
 * Returns: non-NULL iff the device is on the dax bus and bound to kmem.
 * Since: LIBDAXCTL_6
 */
struct daxctl_memory *daxctl_dev_get_memory(struct daxctl_dev *dev);

/**
 * daxctl_memory_get_dev() - the device the memory belongs to
 * Since: LIBDAXCTL_6
 */
struct daxctl_dev *daxctl_memory_get_dev(struct daxctl_memory *mem);

/**
 * daxctl_memory_get_node_path() - sysfs path of the target NUMA node
 *
 * Returns: a string owned by the memory object. Since: LIBDAXCTL_6
 */
const char *daxctl_memory_get_node_path(struct daxctl_memory *mem);

/**
 * daxctl_memory_get_block_size() - memory block size in bytes
 *
 * Returns: the size, 0 if unknown. Since: LIBDAXCTL_6
 */
unsigned long daxctl_memory_get_block_size(struct daxctl_memory *mem);

/**
 * daxctl_memory_num_sections() - number of memory blocks the device owns
 *
 * Computed from every range of the device, each shrunk inward to block
 * alignment as the kmem driver does ("sections" is historical).
 *
 * Returns: the count, or -errno (-EACCES when the ranges are readable by
 * root only). Since: LIBDAXCTL_6
 */
int daxctl_memory_num_sections(struct daxctl_memory *mem);

/**
 * daxctl_memory_is_online() - number of owned blocks that are online
 *
 * Returns: the count, or -errno. Since: LIBDAXCTL_6
 */
int daxctl_memory_is_online(struct daxctl_memory *mem);

/**
 * daxctl_memory_is_movable() - whether all owned blocks are in ZONE_MOVABLE
 *
 * Returns: 1 if every owned block is online in ZONE_MOVABLE, 0 if any is
 * in another zone, -ENXIO if any is offline, other -errno on read
 * failure. Since: LIBDAXCTL_7
 */
int daxctl_memory_is_movable(struct daxctl_memory *mem);

/**
 * daxctl_memory_online() - online every offline owned block as movable
 *
 * Writes online_movable to each offline block, then checks that it landed
 * in ZONE_MOVABLE. A block that is online already (or that another agent
 * onlined meanwhile) is left as it is. All or nothing: when a block
 * fails, the blocks this call onlined are offlined again before it
 * returns (a block that refuses that is named in an error message).
 *
 * Returns: the number of blocks onlined, or -errno (-EBUSY when a block
 * landed in another zone; the message names the block). Since: LIBDAXCTL_6
 */
int daxctl_memory_online(struct daxctl_memory *mem);

/**
 * daxctl_memory_online_no_movable() - online every offline owned block
 * into a kernel zone
 *
 * Writes online_kernel (Normal, or DMA32 for low memory); otherwise as
 * daxctl_memory_online().
 *
 * Returns: the number onlined, or -errno. Since: LIBDAXCTL_7
 */
int daxctl_memory_online_no_movable(struct daxctl_memory *mem);

/**
 * daxctl_memory_offline() - offline every online owned block
 *
 * All or nothing: at the first block the kernel refuses, the blocks this
 * call offlined are onlined again, each into the zone it was in.
 *
 * Returns: the number of blocks offlined, or -errno (-EBUSY: pages in use;
 * -EOPNOTSUPP: a block is unremovable, named in the message).
 * Since: LIBDAXCTL_6
 */
int daxctl_memory_offline(struct daxctl_memory *mem);

/*
 * ---- Extensions of this project (symbol node DAXCTL_EXT_1) ----
 *
 * Not in the reference library. They live in their own node so that
 * upstream's future LIBDAXCTL_11 can be adopted as it is; test for them
 * with the DAXCTL_HAVE_EXT_1 macro.
 */
#define DAXCTL_HAVE_EXT_1 1

/**
 * daxctl_set_dry_run() - plan changes instead of making them
 * @ctx: the context
 * @report: called for each write the library would make, in order, with
 *	the path as on the live system (without the system root) and the
 *	value; may be NULL. daxctl_get_userdata() gives it the caller's data.
 *
 * From this call on, the context writes nothing. Every mutator runs as
 * usual, reports its writes, and then goes on as if the kernel had
 * accepted them: cached sizes, drivers, created devices and the state of
 * memory blocks are simulated, so a sequence of calls plans what a real
 * run would do. Reads still go to the system; modules are not loaded. It
 * cannot be switched off again, as the cached state no longer matches the
 * system: use a new context for real work.
 *
 * Returns: 0, or -EINVAL for a NULL @ctx. Since: DAXCTL_EXT_1
 */
int daxctl_set_dry_run(struct daxctl_ctx *ctx,
		       void (*report)(struct daxctl_ctx *ctx, const char *path,
				      const char *value));

/**
 * daxctl_get_dry_run() - whether daxctl_set_dry_run() was called
 *
 * Returns: 1 or 0. Since: DAXCTL_EXT_1
 */
int daxctl_get_dry_run(struct daxctl_ctx *ctx);

/**
 * daxctl_dev_get_driver() - name of the driver bound to the device
 *
 * Read live, e.g. "device_dax", "kmem", or a third-party driver such as
 * famfs's "fsdev_dax".
 *
 * Returns: a string owned by the device, valid until the next call for
 * the same device; NULL when no driver is bound or for devices of the
 * legacy class model. Since: DAXCTL_EXT_1
 */
const char *daxctl_dev_get_driver(struct daxctl_dev *dev);

/*
 * ---- Extensions of this project (symbol node DAXCTL_EXT_2) ----
 *
 * The system root as a property of the context; test for them with the
 * DAXCTL_HAVE_EXT_2 macro.
 */
#define DAXCTL_HAVE_EXT_2 1

/**
 * daxctl_set_sysroot() - read the system below another root directory
 * @ctx: the context
 * @root: a directory holding a copy of a system's sys (and proc) tree: a
 *	captured dump, a test fixture or an emulator mount. NULL, "" and "/"
 *	select the live system.
 *
 * Replaces the root daxctl_new() took from DAXCTL_SYSROOT. Trailing
 * slashes are dropped and symbolic links in @root are resolved, once,
 * here: paths handed out afterwards begin with daxctl_get_sysroot(). The
 * configuration directory moves below the new root as well, unless it was
 * set explicitly (daxctl_set_config_path() or DAXCTL_CONFIG_PATH). The
 * root cannot change once the context holds regions: call it before the
 * first daxctl_region_get_first() or daxctl_new_region().
 *
 * Returns: 0; -EINVAL for a NULL @ctx; -EBUSY when the context has
 * enumerated or added regions; -ENOENT when @root does not exist,
 * -ENOTDIR when it is not a directory, another -errno when it cannot be
 * looked at (-EACCES); -EPERM for any root but the live system's in a
 * setuid or setgid program (logged); -ENOMEM. On failure the root is
 * unchanged.
 * Since: DAXCTL_EXT_2
 */
int daxctl_set_sysroot(struct daxctl_ctx *ctx, const char *root);

/**
 * daxctl_get_sysroot() - the system root in use
 *
 * Returns: "/" for the live system, else the resolved root directory
 * without a trailing slash (the prefix of every path the library hands
 * out); a string owned by the context, valid until the next
 * daxctl_set_sysroot(). NULL for a NULL @ctx. Since: DAXCTL_EXT_2
 */
const char *daxctl_get_sysroot(struct daxctl_ctx *ctx);

/**
 * daxctl_get_bus_path() - the directory of the dax device model
 *
 * The dax bus directory below the system root (sys/bus/dax), or on
 * kernels with only the legacy device model its class directory
 * (sys/class/dax). Useful as a lock all tools changing dax devices agree
 * on, as daxctl uses it. Looked up on the first call after the root was
 * set.
 *
 * Returns: a string owned by the context, or NULL when neither directory
 * exists (no dax support) or for a NULL @ctx. Since: DAXCTL_EXT_2
 */
const char *daxctl_get_bus_path(struct daxctl_ctx *ctx);

/**
 * daxctl_region_is_dynamic() - whether the region's devices can change
 *
 * A dynamic region (e.g. one of HMAT soft-reserved memory, or CXL) can
 * create, resize and delete devices; a static one (e.g. of pmem) has the
 * single device the platform gave it.
 *
 * Returns: 1 or 0 (also for a NULL @region). Since: DAXCTL_EXT_2
 */
int daxctl_region_is_dynamic(struct daxctl_region *region);

/*
 * ---- Extensions of this project (symbol node DAXCTL_EXT_3) ----
 *
 * The dax ABI of kernels after 6.1, device nodes and change events; test
 * for them with the DAXCTL_HAVE_EXT_3 macro.
 */
#define DAXCTL_HAVE_EXT_3 1

/**
 * daxctl_memory_get_state() - the device-level state of a device's memory
 * @mem: the memory of a device in system-ram mode
 *
 * Reads the device's "state" attribute, which kernels newer than 6.12
 * have for devices bound to kmem: "unplugged" (no memory block added),
 * "offline" (blocks added, not all online), "online_kernel",
 * "online_movable" or "online". Where it exists, daxctl_memory_online(),
 * daxctl_memory_online_no_movable() and daxctl_memory_offline() change a
 * device's memory with one write to it instead of one per block (see
 * daxctl-online-memory(1)). Read afresh on each call.
 *
 * Returns: the value, a string owned by @mem valid until the next call
 * on it; NULL with errno ENOENT when the kernel has no such attribute,
 * another errno when it cannot be read (EINVAL for a NULL @mem).
 * Since: DAXCTL_EXT_3
 */
const char *daxctl_memory_get_state(struct daxctl_memory *mem);

/**
 * daxctl_dev_get_memory_tier() - the memory tier holding the device's node
 *
 * The id N of the tier devices/virtual/memory_tiering/memory_tierN whose
 * node list holds the device's target node (kernel 6.1 and later). The
 * kernel puts a node in a tier only while it has online memory: a
 * memory-only node whose device's blocks are all offline is in none.
 *
 * Returns: the tier id (>= 0); -ENOENT when no tier holds the node,
 * -EOPNOTSUPP when the kernel has no memory tiers, -ENXIO when the device
 * has no target node, -EINVAL for a NULL @dev or a node list that cannot
 * be parsed, another -errno when a node list cannot be read.
 * Since: DAXCTL_EXT_3
 */
int daxctl_dev_get_memory_tier(struct daxctl_dev *dev);

/**
 * daxctl_load_driver() - make a dax driver available
 * @ctx: the context
 * @driver: a dax bus driver's name: "device_dax", "kmem", "fsdev_dax"...
 *
 * Loads the driver's module when the driver is not registered on the dax
 * bus yet (never under a system root other than "/"; a dry run only says
 * it would).
 *
 * Returns: 0 when the driver is there (or a dry run would load it),
 * -ENODEV with the reason logged when it cannot be, -EINVAL for a NULL
 * @ctx or an empty or invalid name. Since: DAXCTL_EXT_3
 */
int daxctl_load_driver(struct daxctl_ctx *ctx, const char *driver);

/**
 * daxctl_dev_enable_famfs() - bind the device to famfs's fsdev_dax
 *
 * famfs's dax driver (out of tree so far) serves the device to the famfs
 * file system. Like daxctl_dev_enable_devdax(), for that driver.
 *
 * Returns: 0 (also when already bound to any driver; the driver holding it
 * is logged at info level), -EOPNOTSUPP (class model), -ENODEV (no
 * fsdev_dax driver), or the kernel's -errno; -ENXIO when the device is not
 * bound afterwards. Since: DAXCTL_EXT_3
 */
int daxctl_dev_enable_famfs(struct daxctl_dev *dev);

/**
 * daxctl_dev_get_memmap_on_memory() - where kmem puts the memory's memmap
 *
 * Read live from the device's memmap_on_memory attribute (Linux 6.8 and
 * later). When it is 1 as kmem binds, the struct-page array describing
 * the hot-added memory is carved out of the device itself (about 1/64 of
 * it does not become usable RAM, and none is taken from other nodes);
 * changing it afterwards has no effect until kmem binds again. The
 * kernel's default is 0 for hmem and pmem devices, 1 for CXL ones.
 *
 * Returns: 1 or 0; -EOPNOTSUPP when the kernel has no such attribute
 * (before 6.8, or a device of the legacy class model); -EINVAL for a
 * NULL @dev or an unexpected value; another -errno when it cannot be
 * read. Since: DAXCTL_EXT_3
 */
int daxctl_dev_get_memmap_on_memory(struct daxctl_dev *dev);

/**
 * daxctl_dev_set_memmap_on_memory() - set it for the next kmem bind
 * @dev: the device, not bound to kmem (or already with that value)
 * @enable: non-zero to place the memmap on the device, 0 not to
 *
 * Enabling needs the kernel parameter memory_hotplug.memmap_on_memory on
 * (/sys/module/memory_hotplug/parameters/memmap_on_memory reads Y or
 * force); it is checked first, and the reason of a refusal is logged.
 * Writing the value the attribute already has always succeeds.
 *
 * Returns: 0; -EOPNOTSUPP when the kernel has no such attribute, or when
 * @enable and the kernel parameter is off or missing; -EBUSY when the
 * value would change while kmem is bound; another -errno the kernel
 * gave; -EINVAL for a NULL @dev. Since: DAXCTL_EXT_3
 */
int daxctl_dev_set_memmap_on_memory(struct daxctl_dev *dev, int enable);

/**
 * daxctl_dev_wait_node() - wait until the device's node exists
 * @dev: the device
 * @timeout_ms: how long to wait at most; 0 looks once
 *
 * Waits for the character device node daxX.Y in the dev directory below
 * the system root, where devtmpfs (or, under a system root, an emulator)
 * makes it. Whether udev has processed the device as well is for the
 * caller to ask udev (daxctl_get_event_source() says whether it runs).
 *
 * Returns: 0 when the node exists, -ETIMEDOUT when it did not appear in
 * time, -ENODEV when the system root has no dev directory (a captured
 * tree: no node will ever appear), another negative errno when it cannot
 * be looked for, -EINVAL for a NULL @dev. Since: DAXCTL_EXT_3
 */
int daxctl_dev_wait_node(struct daxctl_dev *dev, unsigned int timeout_ms);

/**
 * daxctl_get_event_source() - where changes of devices can be heard
 *
 * Returns: "udev" on the live system while udevd runs (events after udev
 * processed them), "kernel" on the live system without udevd (the
 * kernel's uevents), "sysfs" under a system root (nothing sends events:
 * the tree itself must be watched); a static string. NULL for a NULL
 * @ctx. Since: DAXCTL_EXT_3
 */
const char *daxctl_get_event_source(struct daxctl_ctx *ctx);

/**
 * daxctl_get_memory_path() - the directory of the memory blocks
 *
 * The memory block directory below the system root
 * (sys/devices/system/memory), which holds one memoryN directory per
 * block, for a program that watches their state. It may not exist (a
 * kernel without memory hotplug).
 *
 * Returns: the path, a string owned by the context, valid until the next
 * daxctl_set_sysroot(); NULL on allocation failure or for a NULL @ctx.
 * Since: DAXCTL_EXT_3
 */
const char *daxctl_get_memory_path(struct daxctl_ctx *ctx);

/* ---- Iteration helpers ---- */

#define daxctl_region_foreach(ctx, region)                                    \
	for (region = daxctl_region_get_first(ctx); region != NULL;           \
	     region = daxctl_region_get_next(region))

#define daxctl_region_foreach_safe(ctx, region, _region)                      \
	for (region = daxctl_region_get_first(ctx),                            \
	     _region = region ? daxctl_region_get_next(region) : NULL;        \
	     region != NULL;                                                   \
	     region = _region,                                                 \
	     _region = _region ? daxctl_region_get_next(_region) : NULL)

#define daxctl_dev_foreach(region, dev)                                       \
	for (dev = daxctl_dev_get_first(region); dev != NULL;                 \
	     dev = daxctl_dev_get_next(dev))

#define daxctl_dev_foreach_safe(region, dev, _dev)                            \
	for (dev = daxctl_dev_get_first(region),                               \
	     _dev = dev ? daxctl_dev_get_next(dev) : NULL;                    \
	     dev != NULL;                                                      \
	     dev = _dev, _dev = _dev ? daxctl_dev_get_next(_dev) : NULL)

#define daxctl_mapping_foreach(dev, mapping)                                  \
	for (mapping = daxctl_mapping_get_first(dev); mapping != NULL;        \
	     mapping = daxctl_mapping_get_next(mapping))

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _LIBDAXCTL_H_ */
