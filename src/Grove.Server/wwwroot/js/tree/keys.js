// The tree page's keyboard shortcuts (listed in the help dialog, press ?).

/** Registers the shortcuts of a tree page. */
export function bindKeys(page, keys) {
  const list = page.list;
  const step = (d) => list.select(list.selectedIndex < 0 ? 0 : list.selectedIndex + d);
  const selected = (run) => () => {
    if (list.selectedItem) run(list.selectedItem);
  };
  const bindings = [
    { keys: ['/'], label: 'Search by query', run: () => page.search.focus() },
    { keys: ['ArrowDown', 'j'], shown: '↓ or j', label: 'Next entry', run: () => step(1) },
    { keys: ['ArrowUp', 'k'], shown: '↑ or k', label: 'Previous entry', run: () => step(-1) },
    { keys: ['PageDown'], label: 'One screen down', run: () => step(list.pageSize) },
    { keys: ['PageUp'], label: 'One screen up', run: () => step(-list.pageSize) },
    { keys: ['Home'], label: 'First entry', run: () => list.select(0) },
    { keys: ['End'], label: 'Last entry (loads every page)', run: () => page.end() },
    { keys: ['Enter', 'ArrowRight'], shown: 'Enter or →', label: 'Open the folder (or show a file\'s actions)', run: selected((o) => page.open(o)) },
    { keys: ['Backspace', 'ArrowLeft'], shown: 'Backspace or ←', label: 'Up one folder (or leave the search)', run: () => page.up() },
    { keys: ['n'], label: 'New folder', run: () => page.newFolder() },
    { keys: ['u'], label: 'Upload files', run: () => page.fileInput.click() },
    { keys: ['d'], label: 'Download the selected file', run: () => {
      const link = page.details.querySelector('[data-action=download]');
      if (link) link.click();
    } },
    { keys: ['e'], label: 'Edit metadata', run: selected((o) => page.editMetadata(o)) },
    { keys: ['r', 'F2'], shown: 'r or F2', label: 'Rename or move', run: selected((o) => page.move(o)) },
    { keys: ['Delete'], label: 'Delete', run: selected((o) => page.remove(o)) },
    { keys: ['Escape'], label: 'Leave the search', run: () => {
      if (page.mode === 'search') page.endSearch();
    } },
  ];
  for (const b of bindings) keys.add(b);
}
