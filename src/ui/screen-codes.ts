/** Alternate screen, cursor hidden, cleared; bracketed paste on (pastes arrive as one block). */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H\x1b[?2004h';
/** Bracketed paste off, attributes reset, cursor visible, main screen back. */
export const LEAVE_SCREEN = '\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l';
