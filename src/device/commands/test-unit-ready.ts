// TEST UNIT READY (SPC-4; scsi-device.md §3 table): medium absent → NOT READY 3Ah/00h, else GOOD.
import { SENSE } from '../sense-codes';
import { fail, GOOD, type CommandHandler } from './context';

export const testUnitReady: CommandHandler = (lu) => (lu.media.present ? GOOD : fail(SENSE.MEDIUM_NOT_PRESENT));
