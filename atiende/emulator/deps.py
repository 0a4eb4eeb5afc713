from typing import Annotated, cast

from fastapi import Depends, Request

from atiende.emulator.engine import Emulator


def get_emulator(request: Request) -> Emulator:
    return cast(Emulator, request.app.state.emulator)


EmulatorDep = Annotated[Emulator, Depends(get_emulator)]
