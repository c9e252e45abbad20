/* Keeps a static library with no sources of its own yet (a part being written) linkable. */
typedef int wb_empty_translation_unit_t;
