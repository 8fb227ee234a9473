#include <libxml/xmlversion.h>
// libxml2 built with ICU would pull the system's <unicode/*.h> into this module, clashing with the
// ICU module Foundation ships. Only pointers to the encoding handler (whose fields depend on it)
// cross this boundary, so the ICU declarations are left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
