/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal circular doubly linked list with the node embedded in the
 * owning structure. The head is a node whose next/prev point at itself when
 * the list is empty.
 */
#ifndef _UTIL_LIST_H_
#define _UTIL_LIST_H_

#include <stddef.h>
#include <stdbool.h>

struct list_node {
	struct list_node *next, *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void list_init(struct list_node *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_before(struct list_node *pos,
				      struct list_node *node)
{
	node->prev = pos->prev;
	node->next = pos;
	pos->prev->next = node;
	pos->prev = node;
}

static inline void list_add_tail(struct list_node *head, struct list_node *node)
{
	list_insert_before(head, node);
}

static inline void list_del(struct list_node *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->next = node->prev = node;
}

/* Entry after @node in the list headed by @head, or NULL at the end. */
#define list_next_entry_or_null(head, node, type, member)                    \
	((node)->next == (head) ? NULL : container_of((node)->next, type, member))

#define list_first_entry_or_null(head, type, member)                          \
	list_next_entry_or_null(head, head, type, member)

#define list_for_each(head, pos)                                              \
	for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_safe(head, pos, tmp)                                    \
	for (pos = (head)->next, tmp = pos->next; pos != (head);              \
	     pos = tmp, tmp = pos->next)

#endif /* _UTIL_LIST_H_ */
