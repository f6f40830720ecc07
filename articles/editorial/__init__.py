"""How articles get written, checked and published: the workflow of statuses (`workflow`),
medical review and its reminders (`review`), revisions (`revisions`) and sources
(`sources`). The admin drives them; readers' pages only read what they decided."""
