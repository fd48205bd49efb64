/**
 * Alternate screen, cursor hidden, cleared; bracketed paste on (pastes arrive as one block);
 * focus reporting on (CSI I / CSI O: notifications know when the person looks elsewhere); the
 * window title saved on the terminal's title stack (axiom sets its own, see notify.ts).
 */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H\x1b[?2004h\x1b[?1004h\x1b[22;0t';
/** Title restored, focus reporting and bracketed paste off, attributes reset, cursor visible, main screen back. */
export const LEAVE_SCREEN = '\x1b[23;0t\x1b[?1004l\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l';
