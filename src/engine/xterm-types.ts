/** The headless xterm's types as the engine uses them (the package exports its classes only). */
import xtermHeadless from '@xterm/headless';

export const { Terminal } = xtermHeadless;
export type XTerm = InstanceType<typeof Terminal>;
export type XLine = NonNullable<ReturnType<XTerm['buffer']['active']['getLine']>>;
export type XCell = NonNullable<ReturnType<XLine['getCell']>>;
export type XMarker = NonNullable<ReturnType<XTerm['registerMarker']>>;
