from bouncectl.entry import main

main()
