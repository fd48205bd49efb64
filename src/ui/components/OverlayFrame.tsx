/** The frame every full-screen view (help, diff, compare) is drawn in: a double cyan border. */
import { Box } from 'ink';
import type { ReactNode } from 'react';

export function OverlayFrame({
  width,
  height,
  children,
}: {
  width: number;
  height: number;
  children: ReactNode;
}): ReactNode {
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="double"
      borderColor="cyanBright"
      paddingX={1}
      overflow="hidden"
    >
      {children}
    </Box>
  );
}
