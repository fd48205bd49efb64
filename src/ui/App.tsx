/**
 * The whole screen, composed: panes (or help, or the welcome), the event line, the prompt box
 * and the hint bar. State and actions come from `useController` (use-controller.ts); what each
 * key does is in commands.ts.
 */
import { Box } from 'ink';
import { EventLine, HintBar, Message, PromptBox } from './components/Bars.js';
import { HelpView } from './components/HelpView.js';
import { PaneGrid } from './components/PaneGrid.js';
import { ReviewView } from './components/ReviewView.js';
import { activeModes } from './keymap.js';
import { quittingLines, tooSmallLines, welcomeLines } from './messages.js';
import { type ControllerOptions, useController } from './use-controller.js';

export type AppProps = ControllerOptions;

export function App(props: AppProps) {
  const { ui, view, focused, layout, cols, rows, prompt } = useController(props);
  const colorLevel = prompt.colorLevel;
  const sessions = view.sessions;

  if (ui.quitting)
    return <Message width={cols} height={rows} lines={quittingLines(sessions)} color="yellow" />;
  if (!layout.ok) {
    const lines = tooSmallLines(layout.need, cols, sessions.length > 1 && !ui.zoom);
    return <Message width={cols} height={rows} color="yellow" lines={lines} />;
  }

  const waiting = focused?.status === 'WAITING';
  const modes = activeModes({
    help: ui.help,
    review: ui.review !== undefined,
    passthrough: ui.passthrough,
    promptEmpty: ui.editor.text === '',
    focusedWaiting: waiting,
  });
  const { paneArea } = layout;
  return (
    <Box flexDirection="column" width={cols} height={rows} flexShrink={0}>
      <Box flexDirection="column" width={paneArea.width} height={paneArea.height} flexShrink={0}>
        {ui.help ? (
          <HelpView width={paneArea.width} height={paneArea.height} scroll={ui.helpScroll} />
        ) : ui.review ? (
          <ReviewView
            review={ui.review}
            sessions={sessions}
            width={paneArea.width}
            height={paneArea.height}
          />
        ) : sessions.length === 0 ? (
          <Message width={paneArea.width} height={paneArea.height} lines={welcomeLines()} />
        ) : (
          <PaneGrid
            engine={props.engine}
            layout={layout}
            sessions={sessions}
            focusedId={focused?.id}
            passthrough={ui.passthrough}
            versions={view.versions}
            scrolls={ui.scrolls}
            now={Date.now()}
            colorLevel={colorLevel}
          />
        )}
      </Box>
      <EventLine width={cols} events={view.events} notice={ui.notice} />
      <PromptBox {...prompt} />
      <HintBar
        width={cols}
        mode={modes[0] ?? 'normal'}
        target={focused ? `#${focused.n}` : undefined}
        clients={view.clients}
      />
    </Box>
  );
}
