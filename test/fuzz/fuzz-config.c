// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the daxctl.conf.d parser (daxctl/config.c):
 * arbitrary bytes as one configuration file. Besides the sanitizers'
 * checks, an accepted file must be well formed: every section named,
 * every set value non-empty and valid for its key, at least one match
 * key, no online/movable/memmap_on_memory with devdax; and writing it
 * back out in the canonical form and parsing that must give the same
 * configuration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxctl/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void __attribute__((noreturn)) failed(const char *what)
{
	fprintf(stderr, "fuzz-check failed: %s\n", what);
	abort();
}

static void check_section(const struct config_section *s)
{
	const struct config_value *v = s->values;
	int k, match = 0;

	if (!s->name || !*s->name || strpbrk(s->name, " \t"))
		failed("accepted a section without a proper name");
	for (k = 0; k < CONFIG_NR_KEYS; k++) {
		if (!v[k].set)
			continue;
		if (!v[k].text || !*v[k].text)
			failed("accepted an empty value");
		if (k < CONFIG_NR_MATCH_KEYS)
			match++;
	}
	if (!match)
		failed("accepted a section without a match key");
	if (v[CONFIG_REGION_PATH].set && v[CONFIG_REGION_PATH].text[0] != '/' &&
	    v[CONFIG_REGION_PATH].text[0] != '*')
		failed("accepted a region.path that is not a path");
	if (v[CONFIG_REGION_ID].set && v[CONFIG_REGION_ID].number < 0)
		failed("accepted a negative region.id");
	if (v[CONFIG_TARGET_NODE].set && v[CONFIG_TARGET_NODE].number < -1)
		failed("accepted a target_node below -1");
	if (v[CONFIG_MODE].set && v[CONFIG_MODE].mode != CONFIG_MODE_SYSTEM_RAM &&
	    v[CONFIG_MODE].mode != CONFIG_MODE_DEVDAX)
		failed("accepted an unknown mode");
	if (v[CONFIG_MODE].set && v[CONFIG_MODE].mode == CONFIG_MODE_DEVDAX &&
	    (v[CONFIG_ONLINE].set || v[CONFIG_MOVABLE].set ||
	     v[CONFIG_MEMMAP_ON_MEMORY].set))
		failed("accepted online, movable or memmap_on_memory with mode devdax");
}

/*
 * A value in a form that reads back as the same text: double quotes, or
 * single quotes when it holds a double quote. One holding both kinds was
 * read unquoted (a quoted value cannot hold its own quote), so it can be
 * written so again.
 */
static void write_value(FILE *f, const char *text)
{
	if (!strchr(text, '"'))
		fprintf(f, "\"%s\"\n", text);
	else if (!strchr(text, '\''))
		fprintf(f, "'%s'\n", text);
	else
		fprintf(f, "%s\n", text);
}

/* The canonical text of @cfg: every value quoted, so it reads back as is. */
static char *write_back(const struct config *cfg, size_t *len)
{
	const struct config_section *s;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int k;

	if (!f)
		failed("open_memstream");
	for (s = cfg->sections; s; s = s->next) {
		fprintf(f, "[reconfigure-device %s]\n", s->name);
		for (k = 0; k < CONFIG_NR_KEYS; k++)
			if (s->values[k].set) {
				fprintf(f, "%s = ",
					config_key_name((enum config_key)k));
				write_value(f, s->values[k].text);
			}
	}
	fclose(f);
	return buf;
}

static void compare(const struct config *a, const struct config *b)
{
	const struct config_section *s = a->sections, *t = b->sections;
	int k;

	for (; s && t; s = s->next, t = t->next) {
		if (strcmp(s->name, t->name) != 0)
			failed("section names differ after writing back");
		for (k = 0; k < CONFIG_NR_KEYS; k++) {
			const struct config_value *x = &s->values[k];
			const struct config_value *y = &t->values[k];

			if (x->set != y->set ||
			    (x->set && strcmp(x->text, y->text) != 0))
				failed("values differ after writing back");
			if (x->set && k != CONFIG_NVDIMM_UUID &&
			    k != CONFIG_REGION_PATH && k != CONFIG_DEVICE &&
			    x->number != y->number)
				failed("parsed values differ after writing back");
			if (x->set && k == CONFIG_NVDIMM_UUID &&
			    memcmp(x->uuid, y->uuid, sizeof(x->uuid)) != 0)
				failed("uuids differ after writing back");
		}
	}
	if (s || t)
		failed("section count differs after writing back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, again;
	const struct config_section *s;
	size_t len;
	char *text;

	config_init(&cfg, NULL);
	config_parse_buffer(&cfg, "fuzz.conf", (const char *)data, size);
	if (cfg.errors == 0 && config_check(&cfg) == 0) {
		for (s = cfg.sections; s; s = s->next)
			check_section(s);
		text = write_back(&cfg, &len);
		config_init(&again, NULL);
		config_parse_buffer(&again, "again.conf", text, len);
		if (again.errors || config_check(&again) < 0)
			failed("the written-back configuration has errors");
		compare(&cfg, &again);
		config_release(&again);
		free(text);
	}
	config_release(&cfg);
	return 0;
}
